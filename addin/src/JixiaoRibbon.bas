Attribute VB_Name = "JixiaoRibbon"
Option Explicit

' The one callback of the jixiao ribbon tab: every control hands its id to Python.
' All logic lives in Python (jixiao.addin.macros); keep this file ASCII (code page 1252).
' jixiao protects its sheets without a password, and Excel refuses writes to locked cells of a
' protected sheet, so the callback lifts that protection while Python writes its output cells and
' puts it back afterwards (also on a 1-3 project sheet the button added). Sheets a user protected
' with a password stay protected and untouched.

Public Sub JixiaoOnAction(control As IRibbonControl)
    Dim book As Workbook
    Dim lifted As New Collection
    Dim before As New Collection
    Set book = ActiveWorkbook
    If Not book Is Nothing Then LiftProtection book, lifted, before
    On Error GoTo Restore
    RunPython "import jixiao.addin.macros; jixiao.addin.macros.on_action('" & control.Id & "')"
Restore:
    If Not book Is Nothing Then RestoreProtection book, lifted, before
End Sub

Private Sub LiftProtection(book As Workbook, lifted As Collection, before As Collection)
    Dim sheet As Worksheet
    For Each sheet In book.Worksheets
        before.Add sheet.Name, sheet.Name
        If sheet.ProtectContents Then
            On Error Resume Next
            sheet.Unprotect
            If Err.Number = 0 Then lifted.Add sheet.Name
            Err.Clear
            On Error GoTo 0
        End If
    Next sheet
End Sub

Private Sub RestoreProtection(book As Workbook, lifted As Collection, before As Collection)
    Dim sheet As Worksheet
    Dim item As Variant
    On Error Resume Next
    For Each item In lifted
        ProtectLikeJixiao book.Worksheets(CStr(item))
    Next item
    For Each sheet In book.Worksheets
        If Not IsKnown(before, sheet.Name) And IsProjectSheet(sheet.Name) Then ProtectLikeJixiao sheet
    Next sheet
    On Error GoTo 0
End Sub

Private Function IsKnown(names As Collection, name As String) As Boolean
    Dim found As Variant
    On Error Resume Next
    found = names(name)
    IsKnown = (Err.Number = 0)
    Err.Clear
End Function

Private Function IsProjectSheet(name As String) As Boolean
    ' A 1-3 project sheet is named ChrW(&H9644) & ChrW(&H4EF6) & "1-3(n)" (the characters fu jian).
    IsProjectSheet = (Left(name, 6) = ChrW(&H9644) & ChrW(&H4EF6) & "1-3(")
End Function

Private Sub ProtectLikeJixiao(sheet As Worksheet)
    ' The same settings the workbook builder writes: no password; rows may be inserted.
    sheet.Protect DrawingObjects:=False, Contents:=True, Scenarios:=False, _
        AllowFormattingCells:=True, AllowFormattingColumns:=True, AllowFormattingRows:=True, _
        AllowInsertingRows:=True, AllowDeletingRows:=True, AllowInsertingHyperlinks:=True
End Sub
