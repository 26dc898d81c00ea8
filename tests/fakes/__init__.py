"""Scripted stand-ins for services that cannot run here, served on 127.0.0.1."""
