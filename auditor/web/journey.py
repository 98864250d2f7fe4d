"""Journey files: URLs (and optional clicks) measured in sequence in one browser context.

YAML, either a list of steps or a mapping with ``steps`` (and an optional ``name``)::

    name: état civil
    steps:
      - url: https://www.ville.example/
      - click: "text=État civil"      # a Playwright selector on the current page
      - url: https://www.ville.example/contact

Each ``url`` or ``click`` step is measured as a page; requests made after a click are marked
"after interaction" (RGESN 4.4 looks only at those made before any).
"""

from __future__ import annotations

from pathlib import Path

from auditor.errors import WebInputError


def read_journey(path: str | Path) -> list[dict]:
    """The steps of a journey file, each ``{"url": ...}`` or ``{"click": ...}``.

    Raises
    ------
    WebInputError
        Not YAML, no steps, or a step that is neither (file and line in the message).
    """
    try:
        import yaml
    except ImportError:
        raise WebInputError("journey files need PyYAML: pip install 'sobriety-auditor[web]'") from None

    from probes.web import check_url

    shown = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise WebInputError(f"{shown}: journey file cannot be read ({exc})") from None
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        raise WebInputError(f"{shown}{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if isinstance(root, yaml.MappingNode):
        found = [v for k, v in root.value if getattr(k, "value", None) == "steps"]
        if not found:
            raise WebInputError(f"{shown}, line {root.start_mark.line + 1}: no 'steps' list; expected "
                                "'steps:' followed by '- url: ...' lines")
        root = found[0]
    if not isinstance(root, yaml.SequenceNode) or not root.value:
        line = root.start_mark.line + 1 if root is not None else 1
        raise WebInputError(f"{shown}, line {line}: expected a list of steps ('- url: ...' or '- click: ...')")
    steps = []
    for node in root.value:
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            raise WebInputError(f"{shown}, line {line}: a step must be 'url: ...' or 'click: ...'")
        step = {k.value: v.value for k, v in node.value if isinstance(v, yaml.ScalarNode)}
        keys = set(step) & {"url", "click"}
        if len(keys) != 1 or not str(step[next(iter(keys))]).strip():
            raise WebInputError(f"{shown}, line {line}: a step needs exactly one of 'url' or 'click' "
                                f"with a value (found {', '.join(sorted(step)) or 'nothing'})")
        if "url" in step:
            refused = check_url(str(step["url"]))
            if refused:
                raise WebInputError(f"{shown}, line {line}: {refused}")
            steps.append({"url": str(step["url"])})
        else:
            if not steps:
                raise WebInputError(f"{shown}, line {line}: a journey starts with a 'url' step")
            steps.append({"click": str(step["click"])})
    return steps
