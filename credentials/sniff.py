"""The content type kept with an upload: from the container ``formats.detect.classify``
found in its bytes, never from its name or the browser's claim."""

from credentials.vocabulary import Container

PNG = "image/png"
SVG = "image/svg+xml"
JSON = "application/json"
JWT = "application/jwt"
URI_LIST = "text/uri-list"  # a text file holding the link to a hosted badge

CONTENT_TYPES = {
    Container.PNG: PNG,
    Container.SVG: SVG,
    Container.JSON: JSON,
    Container.JWS: JWT,
    Container.URL: URI_LIST,
}
