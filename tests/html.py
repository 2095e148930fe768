import html5lib


def assert_valid_html(response) -> None:
    """The page parses as HTML5 without a single parse error, and declares its language."""
    content = response.content.decode()
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    document = parser.parse(content)
    assert document.get("lang") in {"de", "en"}
    assert document.find(".//main") is not None
    ids = [element.get("id") for element in document.iter() if element.get("id")]
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert not duplicates, f"duplicate ids: {duplicates}"
    assert "<script>alert" not in content, "user text was not escaped"


def checked_values(content: str, name: str) -> list[str]:
    """The values of the checked radio buttons and checkboxes named ``name`` in a page
    or fragment, in document order (parsed, so attribute order does not matter)."""
    document = html5lib.parse(content, namespaceHTMLElements=False)
    return [
        element.get("value")
        for element in document.iter("input")
        if element.get("name") == name and element.get("checked") is not None
    ]
