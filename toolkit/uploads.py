"""Reading an uploaded progress file safely: the JSON file, or the Word plan that carries it.

The size is limited before anything is read in full (`LimitedUploadHandler`),
and a Word file is opened as a zip without trusting it: only its custom
properties part is read, only if its stated and actual sizes are small, and
the compressed answers inside it may not grow past the same limit.
"""

import base64
import binascii
import io
import re
import zipfile
import zlib

from django.core.files.uploadhandler import MemoryFileUploadHandler, StopUpload
from lxml import etree

from toolkit.plan_word import PROGRESS_PROPERTY, PROPERTIES_NS, VT_NS
from toolkit.progress import MAX_FILE_BYTES, FileTooBig, ProgressFileError, too_big_message

ZIP_MAGIC = b"PK\x03\x04"
CUSTOM_PROPERTIES = "docProps/custom.xml"
PROPERTY_NAME = re.compile(rf"{PROGRESS_PROPERTY}(\d{{4}})")


class LimitedUploadHandler(MemoryFileUploadHandler):
    """Keeps uploads in memory and stops reading as soon as one passes the limit."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):  # noqa: N803
        self.activated = True  # in memory, whatever the size: the limit below keeps it small
        self.too_big = False

    def new_file(self, *args, **kwargs):
        self.received = 0
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > MAX_FILE_BYTES:
            self.too_big = True
            raise StopUpload(connection_reset=False)
        return super().receive_data_chunk(raw_data, start)


def progress_json(content):
    """The progress file's bytes: the upload itself, or what a Word plan carries inside it."""
    if not content.startswith(ZIP_MAGIC):
        return content
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            try:
                info = archive.getinfo(CUSTOM_PROPERTIES)
            except KeyError:
                raise ProgressFileError(
                    "The Word file does not hold saved answers. Upload a plan made with this "
                    "planner, or the .json file you saved"
                ) from None
            if info.file_size > MAX_FILE_BYTES * 2:
                raise FileTooBig(too_big_message())
            with archive.open(info) as part:
                xml = part.read(MAX_FILE_BYTES * 2 + 1)
    except ProgressFileError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise ProgressFileError(
            "The file is not a saved plan: it is a damaged zip or Word file"
        ) from None
    if len(xml) > MAX_FILE_BYTES * 2:
        raise FileTooBig(too_big_message())
    return _unpack(xml)


def _unpack(xml):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(xml, parser=parser)
    except etree.XMLSyntaxError:
        raise ProgressFileError("The Word file's saved answers are damaged") from None
    chunks = {}
    for prop in root.iter(f"{{{PROPERTIES_NS}}}property"):
        match = PROPERTY_NAME.fullmatch(prop.get("name", ""))
        value = prop.find(f"{{{VT_NS}}}lpwstr")
        if match and value is not None:
            chunks[int(match.group(1))] = value.text or ""
    if not chunks:
        raise ProgressFileError("The Word file does not hold saved answers from this planner")
    packed = "".join(chunks[number] for number in sorted(chunks))
    try:
        decompressor = zlib.decompressobj()
        content = decompressor.decompress(
            base64.b64decode(packed, validate=True), MAX_FILE_BYTES + 1
        )
    except (binascii.Error, zlib.error, ValueError):
        raise ProgressFileError("The Word file's saved answers are damaged") from None
    if len(content) > MAX_FILE_BYTES or decompressor.unconsumed_tail:
        raise FileTooBig(too_big_message())
    return content
