"""City configuration: the YAML files in config/ and the one schema that says what they may hold."""

from commandcenter.config.errors import ConfigError, ConfigIssue
from commandcenter.config.loader import load_config
from commandcenter.config.model import CityConfig

__all__ = ["CityConfig", "ConfigError", "ConfigIssue", "load_config"]
