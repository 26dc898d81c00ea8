"""The backend registry: backend name → wire format. Help text and errors are built from its keys.

A test fake registers nothing: it speaks one of these formats and is chosen by pointing
``base_url`` at it, so tests exercise exactly the code real servers get.
"""

from __future__ import annotations

from ..plugins import Kind, WithPlugins
from .anthropic_messages import AnthropicMessages
from .base import WireFormat
from .openai_chat import OpenAIChat

# Plugins (citebrief.writers entry points) join when the registry is first read.
GENERATORS: dict[str, WireFormat] = WithPlugins(Kind.WRITERS, {w.name: w for w in (OpenAIChat(), AnthropicMessages())})


def backend_choices() -> str:
    """``"anthropic, openai"`` — for help text and error messages."""
    return ", ".join(sorted(GENERATORS))
