from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ceasefire.core"
    label = "core"
    verbose_name = "Ceasefire core"
