"""reflect: a journal for peer support workers and their supervisors."""

__version__ = "0.1.0"
