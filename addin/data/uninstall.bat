@echo off
chcp 65001 >nul
rem jixiao uninstaller, written by "jixiao bundle": removes the Excel add-in and its settings file,
rem then the jixiao package (xlwings, pywin32 and the other dependencies stay: other programs may use them).
rem Everything before "chcp 65001" is ASCII; the messages below are UTF-8.
setlocal EnableExtensions DisableDelayedExpansion
title jixiao
set "PYTHONIOENCODING=utf-8"
set "PIP_DISABLE_PIP_VERSION_CHECK=1"
set "PIP_NO_INPUT=1"
set "ADDIN=@@XLSTART@@\@@ADDIN@@"
set "CONFDIR=@@CONFIG_DIR@@"
echo.
echo  绩效自评 jixiao 卸载
echo  ============================================
tasklist /FI "IMAGENAME eq EXCEL.EXE" 2>nul | find /I "EXCEL.EXE" >nul
if not errorlevel 1 goto excel_running

if not exist "%ADDIN%" goto no_addin
del /f /q "%ADDIN%"
if exist "%ADDIN%" goto addin_locked
echo  已删除 Excel 加载项："%ADDIN%"
goto settings
:no_addin
echo  Excel 启动文件夹中没有 jixiao 加载项（已删除过，或装在别处）。

:settings
if exist "%CONFDIR%\@@CONFIG_NAME@@" del /f /q "%CONFDIR%\@@CONFIG_NAME@@"
rmdir "%CONFDIR%" 2>nul
echo  已删除 jixiao 的设置："%CONFDIR%"

@@FIND_PYTHON@@
if not defined PY goto no_python
"%PY%" -m pip show jixiao >nul 2>&1
if errorlevel 1 goto not_installed
"%PY%" -m pip uninstall -y jixiao
if errorlevel 1 goto pip_failed
echo.
echo  已从这个 Python 卸载 jixiao："%PY%"
echo  xlwings、pywin32 等程序包保留（其他程序可能在用）。不再需要时，可在命令提示符中运行：
echo    "%PY%" -m pip uninstall xlwings pywin32
goto done

:not_installed
echo  这个 Python 中没有 jixiao 程序包："%PY%"
goto done

:no_python
echo  未找到 Python，jixiao 程序包无需卸载（或请在装有它的 Python 中运行 pip uninstall jixiao）。
goto done

:excel_running
echo.
echo  Excel 正在运行。请先保存并关闭所有 Excel 窗口，再重新运行本文件。
goto failed

:addin_locked
echo.
echo  无法删除加载项（文件正被使用）："%ADDIN%"
echo  请关闭所有 Excel 窗口后重新运行本文件。
goto failed

:pip_failed
echo.
echo  卸载 jixiao 程序包失败，原因见上面 pip 的英文提示；没有权限时请右键 卸载.bat →“以管理员身份运行”。
goto failed

:failed
echo.
echo  没有完成卸载。
echo.
pause
exit /b 1

:done
echo.
echo  卸载完成。
pause
exit /b 0

@@SUBROUTINES@@
