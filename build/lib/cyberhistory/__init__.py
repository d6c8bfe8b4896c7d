"""cyberhistory: a cited dataset and classroom notebooks on the history of hacktivism."""

__version__ = "0.1.0"
