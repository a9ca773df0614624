"""jixiao.addin.vba — write a VBA project (``vbaProject.bin``) from source text.

``project`` lays out the streams ([MS-OVBA] §2.2–2.3), ``ovba`` compresses and encrypts them
([MS-OVBA] §2.4), ``cfb`` packs them into a Compound File Binary container ([MS-CFB]).
"""
