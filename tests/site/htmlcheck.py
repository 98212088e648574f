"""A small well-formedness check for our HTML: every non-void element closed, in order.

Not a validator (the browser suite runs the W3C Nu checker); it catches broken templates fast.
"""

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Elements whose end tag HTML lets us omit; we never omit them, but tolerate <p> closing by <figure> etc.
SVG_SELF_CLOSING_OK = True


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: set[str] = set()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if "id" in attributes:
            if attributes["id"] in self.ids:
                self.errors.append(f"duplicate id {attributes['id']!r}")
            self.ids.add(attributes["id"])
        if "style" in attributes:
            self.errors.append(f"style attribute on <{tag}> (CSP forbids inline style)")
        if any(name.startswith("hx-") for name in attributes):
            self.errors.append(f"bare hx-* attribute on <{tag}>: write data-hx-*")
        if tag == "script" and "src" not in attributes:
            self.errors.append("inline <script> (CSP forbids it)")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1] == tag:
            self.stack.pop()  # <rect/> and friends in SVG

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()


def check_html(html: str, *, fragment: bool = False) -> _Checker:
    """Return the checker (with .tags and .ids); assert on .errors being empty."""
    checker = _Checker()
    checker.feed(html)
    checker.close()
    if checker.stack:
        checker.errors.append(f"unclosed: {checker.stack}")
    if not fragment:
        if not html.lstrip().lower().startswith("<!doctype html>"):
            checker.errors.append("no <!doctype html>")
        if sum(1 for tag, _ in checker.tags if tag == "main") != 1:
            checker.errors.append("not exactly one <main>")
        if not any(tag == "html" and attrs.get("lang") for tag, attrs in checker.tags):
            checker.errors.append("<html> without lang")
        if not any(tag == "h1" for tag, _ in checker.tags):
            checker.errors.append("no <h1>")
    return checker
