"""`govgate report`: portfolio KPIs over the model versions of an MLflow registry."""
