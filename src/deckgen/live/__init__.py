"""Write while you look: rebuild on save (`watch`) and a live preview page (`serve`).

Both take the build as a function (app.py passes its own), so this package comes before the
orchestrator and never imports it."""
