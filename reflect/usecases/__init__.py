"""Headless use cases: one module per thing a person does. No click, no textual."""
