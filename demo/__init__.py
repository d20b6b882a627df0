"""The bundled demo ward site: article sources, the static-site build and a loopback server.

`demo.build_site` turns `demo/content/` into the static files of `demo/site/` (committed),
`demo.serve.DemoSite` serves them on 127.0.0.1 and `python -m demo.run_demo` runs the whole
product against them.
"""
