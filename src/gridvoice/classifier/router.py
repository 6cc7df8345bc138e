"""API routes of the classifier package (under /api/v1)."""

from fastapi import APIRouter

router = APIRouter(tags=["classifier"])
