"""Samverkan: the local crime-prevention collaboration between a municipality and the Police."""
