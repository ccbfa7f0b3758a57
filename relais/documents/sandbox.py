"""The template engine that fills Word templates: Jinja2's sandbox, never the plain engine.

A Word template can be replaced by the académie team (``DocumentTemplate``): its ``{{ … }}``
fields are Jinja expressions, and with the plain engine ``{{ ''.__class__.__mro__[1]
.__subclasses__() }}`` walks to any Python class and runs server code. Here:

- the ``SandboxedEnvironment`` refuses private attributes (``_x``, ``__class__``…), Python
  internals (function globals, frames…) and calls to methods that change data (Django's
  ``alters_data``: ``save``, ``delete``…);
- such an access is an error, never a silent blank (the sandbox's default), so that a template
  trying one is refused at upload (``word_templates.validate_template_upload``) and at
  rendering;
- the template text is checked before it runs: a private attribute named anywhere, even in
  a branch that the data would never take, refuses the whole template;
- user accounts are out of reach (nothing of ``{{ p.agreement.created_by }}``), and ``range``
  is bounded (a template cannot loop a hundred million times).
"""

from __future__ import annotations

from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError

MAX_RANGE = 1000


def _private(name: object) -> bool:
    return isinstance(name, str) and name.startswith("_")


class TemplateSandbox(SandboxedEnvironment):
    """Jinja2 sandbox with errors instead of blanks and a check of the template text."""

    def __init__(self, **options):
        super().__init__(**options)
        self.globals["range"] = _bounded_range

    def is_safe_attribute(self, obj, attr: str, value) -> bool:
        from django.contrib.auth.base_user import AbstractBaseUser

        if attr == "password" or isinstance(obj, AbstractBaseUser):
            return False
        if isinstance(value, AbstractBaseUser):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def unsafe_undefined(self, obj, attribute: str):
        raise SecurityError(f"accès interdit à « {attribute} »")

    def _parse(self, source, name, filename):
        tree = super()._parse(source, name, filename)
        for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter)):
            name = _private_name(node)
            if name is not None:
                raise SecurityError(f"accès interdit à « {name} »")
        return tree


def _private_name(node) -> str | None:
    """The private name that ``node`` reaches: ``x._y``, ``x["_y"]``, ``x|attr("_y")``."""
    if isinstance(node, nodes.Getattr):
        candidates = [node.attr]
    elif isinstance(node, nodes.Getitem):
        candidates = [node.arg.value] if isinstance(node.arg, nodes.Const) else []
    elif node.name == "attr":
        candidates = [arg.value for arg in node.args if isinstance(arg, nodes.Const)]
    else:
        candidates = []
    return next((name for name in candidates if _private(name)), None)


def _bounded_range(*args):
    values = range(*args)
    if len(values) > MAX_RANGE:
        raise SecurityError(f"une boucle « range » est limitée à {MAX_RANGE} tours")
    return values


def sandbox() -> TemplateSandbox:
    """A fresh environment (docxtpl sets ``autoescape`` on the one it is given)."""
    return TemplateSandbox(autoescape=True)
