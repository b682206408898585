# Mounted by the build lab at /usr/local/lib/python3.11/sitecustomize.py (the standard library's
# directory, on sys.path of every interpreter and virtualenv): points Python tools that ignore
# pip.conf (Poetry, requests, urllib) at the host's CA bundle, as a profile would.
import os

os.environ.setdefault("REQUESTS_CA_BUNDLE", "/run/host-ca.crt")
os.environ.setdefault("SSL_CERT_FILE", "/run/host-ca.crt")
