"""City configuration: the YAML files in config/ and the one schema that says what they may hold."""

from commandcenter.config.errors import ConfigError, ConfigIssue
from commandcenter.config.loader import CityConfig, load_config

__all__ = ["CityConfig", "ConfigError", "ConfigIssue", "load_config"]
