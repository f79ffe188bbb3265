"""The clinician's pages (/clinic/...) and the runner's side of sharing with a clinician."""
