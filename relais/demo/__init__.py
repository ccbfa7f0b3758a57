"""The demo of `make run` (an app for its `load_demo` command); the loading is in loading.py."""
