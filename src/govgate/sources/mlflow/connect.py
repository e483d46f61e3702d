"""Pick the backend for a tracking URI: REST for http(s) and Databricks, the library otherwise."""

from __future__ import annotations

from collections.abc import Mapping

from govgate.config import MlflowSettings
from govgate.sources.mlflow.base import RegistryBackend
from govgate.sources.mlflow.uris import check_tracking_uri, is_http, is_unity_catalog


def connect(uri: str, env: Mapping[str, str], settings: MlflowSettings) -> RegistryBackend:
    check_tracking_uri(uri)
    if is_unity_catalog(uri):
        from govgate.sources.mlflow.unity_catalog import UnityCatalogBackend

        return UnityCatalogBackend(
            uri, env, timeout_s=settings.timeout_seconds, retries=settings.retries
        )
    if is_http(uri):
        from govgate.sources.mlflow.rest import RestBackend

        return RestBackend(uri, env, timeout_s=settings.timeout_seconds, retries=settings.retries)
    from govgate.sources.mlflow.library import LibraryBackend

    return LibraryBackend(uri, env)
