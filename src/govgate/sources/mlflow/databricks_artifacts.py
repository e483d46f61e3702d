"""Writing one file among a Databricks-hosted run's artifacts, through a signed cloud-storage URL.

A Databricks workspace keeps run artifacts in its managed `dbfs:/databricks/mlflow-tracking/`
location, which takes no direct writes: the tracking server hands out a short-lived signed URL
per file (`POST /api/2.0/mlflow/artifacts/credentials-for-write`), and the file goes straight to
S3, Azure or GCS with it. This is what MLflow's own client does for such runs
(mlflow/store/artifact/databricks_artifact_repo.py; request and response shapes in
mlflow/protos/databricks_artifacts.proto, `GetCredentialsForWrite`, `ArtifactCredentialInfo`).

The signed URL is a credential: messages name only its host, and the client that sends to it
scrubs the URL and its query from anything a failure quotes. The workspace token is never sent
to the storage service (a session of its own, without the Authorization header).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests

from govgate.redaction import Scrubber
from govgate.sources.http import HttpClient, display_host
from govgate.sources.mlflow.base import JsonObject, MlflowError

CREDENTIALS_FOR_WRITE = "artifacts/credentials-for-write"
MANAGED_ROOT = "/databricks/mlflow-tracking/"

# ADLS Gen2 path operations reject Blob-service headers; of what a credential may carry, these
# are the ones both Path - Create and Path - Update accept (Azure Data Lake Storage Gen2 REST
# reference, and MLflow's mlflow/azure/client.py, which filters the same way).
_ADLS_HEADERS = frozenset(
    {
        "x-ms-encryption-key",
        "x-ms-encryption-key-sha256",
        "x-ms-encryption-algorithm",
        "x-ms-encryption-context",
        "x-ms-client-request-id",
        "x-ms-date",
        "x-ms-version",
        "x-ms-lease-id",
    }
)


def is_managed_location(artifact_uri: str) -> bool:
    """`dbfs:/databricks/mlflow-tracking/...`: the location credentials-for-write serves."""
    parts = urlsplit(artifact_uri)
    return parts.scheme == "dbfs" and parts.path.startswith(MANAGED_ROOT)


@dataclass(frozen=True)
class SignedUpload:
    """One `ArtifactCredentialInfo`: where to send the bytes, how, and with which headers."""

    signed_uri: str
    kind: str  # AWS_PRESIGNED_URL, GCP_SIGNED_URL, AZURE_SAS_URI, AZURE_ADLS_GEN2_SAS_URI
    headers: dict[str, str]

    @classmethod
    def from_response(cls, body: JsonObject, path: str, label: str) -> SignedUpload:
        infos = body.get("credential_infos")
        if not isinstance(infos, list):
            raise MlflowError(f"{label}: malformed response (no 'credential_infos' list)")
        # One path asked, one credential expected (MLflow takes the first); match it when the
        # path is echoed as asked.
        candidates = [i for i in infos if isinstance(i, dict)]
        info = next((i for i in candidates if i.get("path") == path), None)
        if info is None and len(candidates) == 1:
            info = candidates[0]
        if info is None:
            raise MlflowError(f"{label}: the response has no credential for {path}")
        uri, kind, headers = info.get("signed_uri"), info.get("type"), info.get("headers") or []
        if not isinstance(uri, str) or urlsplit(uri).scheme not in ("http", "https"):
            raise MlflowError(f"{label}: malformed response (no signed_uri for {path})")
        if not isinstance(headers, list):
            raise MlflowError(f"{label}: malformed response (headers is not a list)")
        return cls(
            signed_uri=uri,
            kind=str(kind or ""),
            headers={
                str(h["name"]): str(h.get("value", ""))
                for h in headers
                if isinstance(h, dict) and h.get("name")
            },
        )


def put(
    session: requests.Session,
    upload: SignedUpload,
    content: bytes,
    label: str,
    timeout: tuple[float, float],
) -> int:
    """Store `content` at the signed URL; returns the requests it took (two for ADLS Gen2)."""
    if upload.kind in ("AWS_PRESIGNED_URL", "GCP_SIGNED_URL"):
        # S3 PutObject / GCS XML API PUT on a presigned URL; both replace an existing object.
        _send(session, timeout, "PUT", upload.signed_uri, upload, label, upload.headers, content)
        return 1
    if upload.kind == "AZURE_SAS_URI":
        # Azure Blob "Put Blob": one request creates or replaces a block blob.
        headers = {**upload.headers, "x-ms-blob-type": "BlockBlob"}
        _send(session, timeout, "PUT", upload.signed_uri, upload, label, headers, content)
        return 1
    if upload.kind == "AZURE_ADLS_GEN2_SAS_URI":
        # ADLS Gen2 "Path - Create" (replaces an existing file), then "Path - Update" with
        # action=append&flush=true, as MLflow does for a file that fits in one chunk.
        headers = {k: v for k, v in upload.headers.items() if k.lower() in _ADLS_HEADERS}
        create = _with_query(upload.signed_uri, {"resource": "file"})
        _send(session, timeout, "PUT", create, upload, label, headers, b"")
        append = _with_query(
            upload.signed_uri, {"action": "append", "position": "0", "flush": "true"}
        )
        _send(session, timeout, "PATCH", append, upload, label, headers, content)
        return 2
    raise MlflowError(
        f"{label}: the workspace offered a {upload.kind or 'untyped'} credential, "
        "which govgate cannot upload with"
    )


def _send(
    session: requests.Session,
    timeout: tuple[float, float],
    method: str,
    url: str,
    upload: SignedUpload,
    label: str,
    headers: dict[str, str],
    data: bytes,
) -> None:
    """One request through govgate's HTTP client, scrubbing every form of the signed URL a
    failure may quote (requests names the path and query without the host)."""
    parts = urlsplit(url)
    forms = [url, parts.query, f"{parts.path}?{parts.query}" if parts.query else ""]
    client = HttpClient(session, timeout, Scrubber.for_credentials(tokens=forms), error=MlflowError)
    client.send(
        method, url, f"{label} to {display_host(url)} ({upload.kind})", headers=headers, data=data
    )


def _with_query(url: str, extra: dict[str, str]) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in extra]
    return urlunsplit(parts._replace(query=urlencode([*query, *extra.items()])))
