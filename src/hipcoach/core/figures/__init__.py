"""The figures: every drill and screen test drawn from data, by forward kinematics, projection and SVG."""
