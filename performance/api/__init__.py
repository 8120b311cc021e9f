"""The worksheet's part of API v1 (benchmarks, worksheet versions), on ``ceasefire.core.api``."""
