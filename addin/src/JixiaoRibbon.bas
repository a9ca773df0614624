Attribute VB_Name = "JixiaoRibbon"
Option Explicit

' The one callback of the jixiao ribbon tab: every control hands its id to Python.
' All logic lives in Python (jixiao.addin.macros); keep this file ASCII (code page 1252).

Public Sub JixiaoOnAction(control As IRibbonControl)
    RunPython "import jixiao.addin.macros; jixiao.addin.macros.on_action('" & control.Id & "')"
End Sub
