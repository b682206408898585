"""Notes API: keeps notes in memory."""
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

NOTES: list[str] = ["first note"]


async def index(request: Request) -> PlainTextResponse:
    return PlainTextResponse("notes api: %d notes\n" % len(NOTES))


async def notes(request: Request) -> JSONResponse:
    return JSONResponse(NOTES)


app = Starlette(routes=[Route("/", index), Route("/notes", notes)])
