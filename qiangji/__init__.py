"""Qiangji (强基): grassroots Party-organisation work platform."""

__version__ = "0.1.0"
