"""The demo directory: real SAMHSA facilities with made-up services, phones and availability."""
