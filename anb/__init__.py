"""ANB Rising Stars Showcase: upload, processing, public voting and rankings of amateur basketball videos."""

__version__ = "0.1.0"
