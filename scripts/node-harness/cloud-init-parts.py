"""Reads a user data document as cloud-init does, with cloud-init's own code (Debian's package).

Usage: python3 cloud-init-parts.py USER_DATA_FILE  (PYTHONPATH: the unpacked packages' dist-packages)
Prints JSON: every part cloud-init's walker hands on, in order, with its content type, the file name
cloud-init gives it (shell scripts run from /var/lib/cloud/instance/scripts/ in that name's order),
its payload, and the cloud-init handler that takes it (null: cloud-init leaves the part alone).
"""
import json
import sys
from cloudinit import handlers, helpers, user_data
from cloudinit.handlers.boot_hook import BootHookPartHandler
from cloudinit.handlers.cloud_config import CloudConfigPartHandler
from cloudinit.handlers.shell_script import ShellScriptPartHandler

paths = helpers.Paths({"cloud_dir": "/nonexistent", "templates_dir": "/nonexistent"})
handled = {}
for handler in (CloudConfigPartHandler(paths), ShellScriptPartHandler(paths), BootHookPartHandler(paths, None)):
    for content_type in handler.list_types():
        handled[content_type] = type(handler).__name__

with open(sys.argv[1], "rb") as source:
    message = user_data.UserDataProcessor(paths).process(source.read())
parts = []


def collect(_data, filename, payload, headers):
    content_type = headers.get("Content-Type")
    if content_type in handlers.CONTENT_SIGNALS:
        return
    text = payload.decode() if isinstance(payload, bytes) else payload
    parts.append({"contentType": content_type, "filename": filename, "payload": text, "handler": handled.get(content_type)})


handlers.walk(message, collect, {})
print(json.dumps(parts))
