"""Player videos: streamed, validated uploads and the owner's endpoints."""
