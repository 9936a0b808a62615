"""Reading a page as a browser would: what could execute, and what text a reader sees."""

from html.parser import HTMLParser

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}


class PageReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.dangers: list[str] = []
        self.text: list[str] = []
        self.in_data_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            if "src" not in attrs and attrs.get("type") != "application/json":
                self.dangers.append(f"inline script {attrs}")
            self.in_data_script = attrs.get("type") == "application/json"
        if tag in {"iframe", "object", "embed", "base"}:
            self.dangers.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.dangers.append(f"{name}= on <{tag}>")
            if name == "style":
                self.dangers.append(f"inline style on <{tag}>")
            if name in URL_ATTRIBUTES and (value or "").strip().lower().startswith(
                ("javascript:", "data:text")
            ):
                self.dangers.append(f"{name}={value!r} on <{tag}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_data_script = False

    def handle_data(self, data):
        if not self.in_data_script:
            self.text.append(data)


def read(html: str) -> PageReader:
    reader = PageReader()
    reader.feed(html)
    reader.close()
    return reader


def text_of(html: str) -> str:
    return "".join(read(html).text)
