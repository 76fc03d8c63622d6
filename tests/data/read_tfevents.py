#!/usr/bin/env python3
"""Decode TensorBoard event files with protobuf's own parser, as a cross-check of tsdl's writer.

Usage: read_tfevents.py EVENT_FILE...

Needs protoc and the Python protobuf module (Debian: protobuf-compiler, python3-protobuf). The
script compiles tfevents_minimal.proto, next to this file, into a temporary directory, checks the
masked CRC-32C of every record's length and payload, and prints one line per record. It exits
with status 1 on a CRC mismatch, a truncated record or a parse error.
"""

import importlib
import pathlib
import struct
import subprocess
import sys
import tempfile


def crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def masked_crc(data: bytes) -> int:
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def load_event_class():
    proto = pathlib.Path(__file__).resolve().parent / "tfevents_minimal.proto"
    out_dir = tempfile.mkdtemp(prefix="tfevents_proto_")
    subprocess.run(["protoc", f"--proto_path={proto.parent}", f"--python_out={out_dir}", proto.name], check=True)
    sys.path.insert(0, out_dir)
    return importlib.import_module("tfevents_minimal_pb2").Event


def read_records(data: bytes):
    offset = 0
    index = 0
    while offset < len(data):
        where = f"record {index} at offset {offset}"
        if len(data) - offset < 12:
            raise ValueError(f"{where}: truncated header")
        (length,) = struct.unpack_from("<Q", data, offset)
        (length_crc,) = struct.unpack_from("<I", data, offset + 8)
        if length_crc != masked_crc(data[offset:offset + 8]):
            raise ValueError(f"{where}: length CRC mismatch")
        start = offset + 12
        if len(data) - start < length + 4:
            raise ValueError(f"{where}: truncated payload")
        payload = data[start:start + length]
        (payload_crc,) = struct.unpack_from("<I", data, start + length)
        if payload_crc != masked_crc(payload):
            raise ValueError(f"{where}: payload CRC mismatch")
        yield payload
        offset = start + length + 4
        index += 1


def describe(event) -> str:
    text = f"wall_time={event.wall_time:.6g} step={event.step}"
    if event.WhichOneof("what") == "file_version":
        return text + f" file_version={event.file_version!r}"
    for value in event.summary.value:
        text += f" tag={value.tag!r}"
        if value.WhichOneof("value") == "simple_value":
            text += f" simple_value={value.simple_value!r}"
        elif value.WhichOneof("value") == "histo":
            histo = value.histo
            text += (f" histo min={histo.min!r} max={histo.max!r} num={histo.num!r} sum={histo.sum!r}"
                     f" sum_squares={histo.sum_squares!r} bucket_limit={list(histo.bucket_limit)!r}"
                     f" bucket={list(histo.bucket)!r}")
    return text


def main(paths) -> int:
    if not paths:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    event_class = load_event_class()
    status = 0
    for path in paths:
        print(path)
        count = 0
        try:
            for count, payload in enumerate(read_records(pathlib.Path(path).read_bytes()), start=1):
                event = event_class()
                event.ParseFromString(payload)
                print(f"  record {count - 1}: {describe(event)}")
            print(f"  {count} records, all CRCs valid")
        except Exception as error:  # report the file and go on with the next one
            print(f"  error: {error}")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
