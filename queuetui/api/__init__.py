"""The DeepCall wire layer: request models, the error catalogue, the response parser and the HTTP client."""
