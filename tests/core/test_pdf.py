"""PDFs fetch nothing but the project's own files, and typed text cannot reach their stylesheet."""

import http.server
import threading

import pytest

from core import pdf
from tests.pdfcheck import assert_cjk_font_embedded, pdf_text


@pytest.fixture
def listener():
    """A local web server that counts what is asked of it (a PDF must never call it)."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], hits
    server.shutdown()
    server.server_close()


def test_a_title_with_css_in_it_stays_text_and_fetches_nothing(settings, listener):
    port, hits = listener
    hostile = (f'示范工会"; }} @page {{ background: url(http://127.0.0.1:{port}/bg) }} @import "http://127.0.0.1:{port}'
               f'/x.css"; .a {{ content: "\f')
    settings.UNION_NAME = hostile
    _name, mimetype, data = pdf.render_pdf("pdf/base.html", {}, filename="x.pdf")
    assert mimetype == "application/pdf" and hits == []
    assert "示范工会" in pdf_text(data) and "@page" in pdf_text(data)  # shown as the text it is
    assert_cjk_font_embedded(data)


@pytest.mark.parametrize("url, allowed", [
    ("http://127.0.0.1/x.css", False), ("https://example.org/font.woff", False), ("file:///etc/passwd", False),
    ("data:text/css,body{}", False), ("ftp://host/x", False), ("file://otherhost/static/x.css", False),
])
def test_only_the_project_static_files_may_be_loaded(url, allowed):
    assert pdf.is_allowed_url(url) is allowed


def test_the_project_static_files_may_be_loaded(settings):
    css = settings.STATICFILES_DIRS[0] / "css" / "portal.css"
    assert pdf.is_allowed_url(css.as_uri())
    assert not pdf.is_allowed_url((settings.STATICFILES_DIRS[0] / ".." / "manage.py").resolve().as_uri())
