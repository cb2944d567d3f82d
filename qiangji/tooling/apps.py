from django.apps import AppConfig


class ToolingConfig(AppConfig):
    """No models: installed so that its management commands (demo, generate, bench) are found."""

    name = "qiangji.tooling"
    label = "tooling"
    verbose_name = "演示数据与性能基准"
