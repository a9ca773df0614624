Attribute VB_Name = "JixiaoRibbon"
Option Explicit

' The one callback of the jixiao ribbon tab: every control hands its id to Python.
' All logic lives in Python (jixiao.addin.macros). This file must stay pure ASCII: the build refuses
' anything else. Chinese text lives in addin/data/ribbon_text.toml; the build puts it in place of the
' line below as constants of UTF-16 code units, and Zh() turns them back into text with ChrW.
'
' jixiao protects its sheets without a password, and Excel refuses writes to locked cells of a
' protected sheet, so the callback lifts that protection while Python writes its output cells and
' puts it back afterwards (also on a 1-3 project sheet the button added). Unprotect is always given
' Password:="", so a sheet a user protected with a password never prompts for it: it stays protected
' and untouched, and the user is told once per workbook.
' Every error (no workbook open, Python missing or failing, an Excel error) ends in a message box.

'@messages

Private warnedBooks As String

Public Sub JixiaoOnAction(control As IRibbonControl)
    Dim book As Workbook
    Dim lifted As New Collection
    Dim before As New Collection
    Dim kept As String
    Dim failure As String
    On Error GoTo Failed
    Set book = ActiveWorkbook
    If book Is Nothing Then
        MsgBox Zh(NO_WORKBOOK), vbExclamation, Zh(TITLE)
        Exit Sub
    End If
    If Not InterpreterReady() Then Exit Sub
    kept = LiftProtection(book, lifted, before)
    If kept <> "" Then WarnKept book, kept
    If RunPython("import jixiao.addin.macros; jixiao.addin.macros.on_action('" & control.Id & "')") = -1 Then
        failure = Zh(PYTHON_FAILED)
    End If
Finish:
    On Error Resume Next
    If Not book Is Nothing Then RestoreProtection book, lifted, before
    On Error GoTo 0
    If failure <> "" Then MsgBox failure, vbCritical, Zh(TITLE)
    Exit Sub
Failed:
    failure = Zh(VBA_FAILED) & vbCrLf & Err.Description & " (" & Err.Number & ")"
    Resume Finish
End Sub

Private Function InterpreterReady() As Boolean
    ' True when the Python the settings name exists (or is looked up on PATH); otherwise say so.
    Dim interpreter As String
    #If Mac Then
        InterpreterReady = True
    #Else
        interpreter = GetConfig("INTERPRETER_WIN", "")
        If interpreter = "" Then interpreter = GetConfig("INTERPRETER", "python")
        If interpreter = "python" Or interpreter = "pythonw" Then
            InterpreterReady = True
        ElseIf FileExists(interpreter) Then
            InterpreterReady = True
        Else
            MsgBox Zh(NO_PYTHON) & vbCrLf & interpreter, vbCritical, Zh(TITLE)
        End If
    #End If
End Function

Private Function LiftProtection(book As Workbook, lifted As Collection, before As Collection) As String
    ' Lift the password-less protection of every sheet; return the names of the sheets left protected.
    Dim sheet As Worksheet
    Dim kept As String
    For Each sheet In book.Worksheets
        before.Add sheet.Name, sheet.Name
        If sheet.ProtectContents Then
            On Error Resume Next
            sheet.Unprotect Password:=""
            If Err.Number = 0 And Not sheet.ProtectContents Then
                lifted.Add sheet.Name
            Else
                kept = kept & vbCrLf & sheet.Name
            End If
            Err.Clear
            On Error GoTo 0
        End If
    Next sheet
    LiftProtection = kept
End Function

Private Sub WarnKept(book As Workbook, kept As String)
    ' Say once per workbook and Excel session which sheets keep a user's password.
    Dim key As String
    key = "|" & book.FullName & "|"
    If InStr(1, warnedBooks, key, vbTextCompare) > 0 Then Exit Sub
    warnedBooks = warnedBooks & key
    MsgBox Zh(KEPT_PROTECTED) & vbCrLf & kept, vbInformation, Zh(TITLE)
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
    ' A 1-3 project sheet is named FUJIAN & "1-3(n)".
    IsProjectSheet = (Left(name, 6) = Zh(FUJIAN) & "1-3(")
End Function

Private Sub ProtectLikeJixiao(sheet As Worksheet)
    ' The same settings the workbook builder writes: no password; rows may be inserted.
    sheet.Protect Password:="", DrawingObjects:=False, Contents:=True, Scenarios:=False, _
        AllowFormattingCells:=True, AllowFormattingColumns:=True, AllowFormattingRows:=True, _
        AllowInsertingRows:=True, AllowDeletingRows:=True, AllowInsertingHyperlinks:=True
End Sub

Private Function Zh(ByVal codes As String) As String
    ' Return the text whose UTF-16 code units are the hexadecimal numbers in codes ("7EE9 6548").
    Dim part As Variant
    For Each part In Split(codes, " ")
        If part <> "" Then Zh = Zh & ChrW(Val("&H" & part))
    Next part
End Function
