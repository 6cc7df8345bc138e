"""API routes of the analysis package (under /api/v1)."""

from fastapi import APIRouter

router = APIRouter(tags=["analysis"])
