"""What a lesson shows: its figures (`plots`) and its sliders (`widgets`).

Each slider is a plain `show_*` function (compute, print, draw) that the tests and the cell after
the slider call directly, and a `*_widget()` that only wires ipywidgets controls to it. Nothing here
computes math of its own: the numbers come from the package's functions.
"""
