"""Form bodies (multipart/form-data) parsed with python-multipart,
as Starlette's form parser read them: the same fields, the same limits, the same
400 messages. Imported only by a request that reads a form (a carte Vitale order).

The body is whole in memory already (BodyLimit caps it per path), so files stay
there too: there is no spooling to disk to do.
"""

from __future__ import annotations

import codecs
from typing import Any

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from ameli_sandbox.http import Headers, HTTPException, MultiDict

MAX_PART_SIZE = 1024 * 1024  # a field that is not a file


class UploadFile:
    """An uploaded file: its name, its headers and its bytes."""

    def __init__(self, filename: str, headers: Headers) -> None:
        self.filename = filename
        self.headers = headers
        self._data = bytearray()

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")

    @property
    def size(self) -> int:
        return len(self._data)

    async def read(self, size: int = -1) -> bytes:
        return bytes(self._data if size < 0 else self._data[:size])

    async def close(self) -> None:
        return None


class FormData(MultiDict[str | UploadFile]):
    """Fields (str) and files (UploadFile) by name; `get` gives the last one."""


def _decode(raw: bytes | bytearray, charset: str) -> str:
    try:
        return raw.decode(charset)
    except (UnicodeDecodeError, LookupError):
        return raw.decode("latin-1")


def parse_form(content_type: str | None, body: bytes, max_files: int, max_fields: int) -> FormData:
    kind, params = parse_options_header(content_type)
    if kind == b"multipart/form-data":
        return _Multipart(params, max_files, max_fields).parse(body)
    # No handler reads an urlencoded form: any other type is an empty form.
    return FormData([])


class _Part:
    def __init__(self) -> None:
        self.disposition = b""
        self.headers: list[tuple[bytes, bytes]] = []
        self.name = ""
        self.data = bytearray()
        self.file: UploadFile | None = None


class _Multipart:
    def __init__(self, params: dict[bytes, bytes], max_files: int, max_fields: int) -> None:
        self.params = params
        self.max_files = max_files
        self.max_fields = max_fields
        self.items: list[tuple[str, str | UploadFile]] = []
        self.files = 0
        self.fields = 0
        self.part = _Part()
        self.header_name = b""
        self.header_value = b""
        raw_charset = params.get(b"charset", b"utf-8")
        try:
            self.charset = codecs.lookup(raw_charset.decode("latin-1")).name
        except LookupError:
            self.charset = "latin-1"

    def parse(self, body: bytes) -> FormData:
        boundary = self.params.get(b"boundary")
        if boundary is None:
            raise HTTPException(400, "Missing boundary in multipart.")
        callbacks: Any = {
            "on_part_begin": self.on_part_begin,
            "on_part_data": self.on_part_data,
            "on_part_end": self.on_part_end,
            "on_header_field": self.on_header_field,
            "on_header_value": self.on_header_value,
            "on_header_end": self.on_header_end,
            "on_headers_finished": self.on_headers_finished,
        }
        try:
            parser = MultipartParser(boundary, callbacks)
            if body:
                parser.write(body)
            parser.finalize()
        except FormParserError:
            raise HTTPException(400, "Invalid multipart data.") from None
        return FormData(self.items)

    def on_part_begin(self) -> None:
        self.part = _Part()

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        if self.part.file is not None:
            self.part.file._data.extend(chunk)
            return
        if len(self.part.data) + len(chunk) > MAX_PART_SIZE:
            raise HTTPException(
                400, f"Part exceeded maximum size of {int(MAX_PART_SIZE / 1024)}KB."
            )
        self.part.data.extend(chunk)

    def on_part_end(self) -> None:
        if self.part.file is None:
            self.items.append((self.part.name, _decode(self.part.data, self.charset)))
        else:
            self.items.append((self.part.name, self.part.file))

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        name = self.header_name.lower()
        if name == b"content-disposition":
            self.part.disposition = self.header_value
        self.part.headers.append((name, self.header_value))
        self.header_name = self.header_value = b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self.part.disposition)
        if b"name" not in options:
            raise HTTPException(
                400, 'The Content-Disposition header field "name" must be provided.'
            )
        self.part.name = _decode(options[b"name"], self.charset)
        if b"filename" in options:
            self.files += 1
            if self.files > self.max_files:
                raise HTTPException(
                    400, f"Too many files. Maximum number of files is {self.max_files}."
                )
            filename = _decode(options[b"filename"], self.charset)
            self.part.file = UploadFile(filename, Headers(self.part.headers))
        else:
            self.fields += 1
            if self.fields > self.max_fields:
                raise HTTPException(
                    400, f"Too many fields. Maximum number of fields is {self.max_fields}."
                )
