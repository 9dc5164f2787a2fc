"""The live session: the lever page, its server, where levers start and the scenarios it saves."""
