"""The clinic: its clinicians, the runners who share their training with them, and the runners' requests."""
