"""hipcoach: hip-mobility training for runners."""

__version__ = "0.1.0"
