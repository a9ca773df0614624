@echo off
chcp 65001 >nul
rem jixiao offline installer, written by "jixiao bundle": installs jixiao and its dependencies from the
rem wheels folder beside this file (no network: --no-index --find-links), then the Excel add-in.
rem Everything before "chcp 65001" is ASCII; the messages below are UTF-8.
setlocal EnableExtensions DisableDelayedExpansion
title jixiao @@VERSION@@
set "HERE=%~dp0"
set "WHEELS=%~dp0wheels"
set "PYTHONIOENCODING=utf-8"
set "PIP_DISABLE_PIP_VERSION_CHECK=1"
set "PIP_NO_INPUT=1"
echo.
echo  绩效自评 jixiao @@VERSION@@ 离线安装
echo  ============================================
if not exist "%WHEELS%\@@WHEEL@@" goto bundle_broken
if not exist "%HERE%jixiao.xlam" goto bundle_broken
tasklist /FI "IMAGENAME eq EXCEL.EXE" 2>nul | find /I "EXCEL.EXE" >nul
if not errorlevel 1 goto excel_running

@@FIND_PYTHON@@
if not defined PY goto no_python
"%PY%" -c "import sys, sysconfig; v = sys.version_info[:2]; sys.exit(3 if sysconfig.get_platform() != 'win-amd64' else 0 if v in [@@EXCEL_TUPLES@@] else 4 if v in [@@CLI_TUPLES@@] else 5)"
set "STATUS=%errorlevel%"
if "%STATUS%"=="3" goto wrong_bitness
if "%STATUS%"=="4" goto cli_only
if not "%STATUS%"=="0" goto wrong_version
echo  使用的 Python：
"%PY%" -c "import sys; print('    ' + sys.executable + '  (Python ' + sys.version.split()[0] + ', 64-bit)')"
"%PY%" -m pip --version >nul 2>&1
if errorlevel 1 goto no_pip

echo.
echo  [1/2] 安装 jixiao 和它用到的程序包（xlwings、pywin32 等），只用本安装包中的文件，不联网……
"%PY%" -m pip install --no-index --find-links "%WHEELS%" "jixiao[excel]==@@VERSION@@"
if errorlevel 1 goto pip_failed
"%PY%" -m pip install --no-index --find-links "%WHEELS%" --no-deps --force-reinstall "%WHEELS%\@@WHEEL@@"
if errorlevel 1 goto pip_failed

echo.
echo  [2/2] 安装 Excel 加载项 jixiao.xlam……
"%PY%" -m jixiao.cli addin install --xlam "%HERE%jixiao.xlam"
if errorlevel 1 goto addin_failed

echo.
echo  安装完成：jixiao @@VERSION@@ 已装入上面的 Python，加载项已放进 Excel 的启动文件夹。
echo  请打开 Excel 和自评工作簿（本文件夹中有“@@BLANK@@”和示例），功能区会出现“绩效自评”选项卡。
echo  收到或下载的工作簿如果宏被阻止：关闭它，右键文件 → 属性 → 勾选“解除锁定” → 确定，再打开。
echo  以后更新：运行新安装包中的 安装.bat。卸载：运行 卸载.bat。详见“使用说明.pdf”。
goto done

:bundle_broken
echo.
echo  安装包不完整：本文件旁边找不到 wheels 文件夹中的 @@WHEEL@@ 或 jixiao.xlam。
echo  请先把 zip 全部解压，再运行解压出的文件夹中的 安装.bat（不要在 zip 里直接双击，也不要只复制 安装.bat）。
goto failed

:excel_running
echo.
echo  Excel 正在运行。请先保存并关闭所有 Excel 窗口，再重新运行本文件。
goto failed

:no_python
echo.
echo  未找到 Python。请先安装 64 位的 Python @@EXCEL_RANGE@@（推荐 @@RECOMMENDED@@）：
echo    · 单位内网：请信息中心提供 python.org 的“Windows installer (64-bit)”安装程序；
echo    · 能上网时：从 https://www.python.org/downloads/windows/ 下载“Windows installer (64-bit)”。
echo  安装时先勾选“Add python.exe to PATH”，再点“Install Now”；装好后重新运行本文件。
goto failed

:wrong_bitness
echo.
echo  找到的 Python 不是 64 位（x64）版本："%PY%"
echo  本安装包只含 64 位 Windows 的程序包。请另装 64 位的 Python @@EXCEL_RANGE@@（推荐 @@RECOMMENDED@@，
echo  安装程序名为“Windows installer (64-bit)”，可与现有 Python 并存），再重新运行本文件。
goto failed

:cli_only
echo.
echo  找到的 Python 版本太旧："%PY%"
echo  Excel 加载项用的 xlwings @@XLWINGS@@ 需要 Python @@EXCEL_RANGE@@。请另装 64 位的 Python @@RECOMMENDED@@
echo  （可与现有 Python 并存），再重新运行本文件。只用命令行时，这个 Python 也可以装 jixiao：
echo    "%PY%" -m pip install --no-index --find-links "%WHEELS%" jixiao
goto failed

:wrong_version
echo.
echo  找到的 Python 版本不受支持："%PY%"
echo  本安装包含有 Python @@EXCEL_RANGE@@ 的程序包。请另装 64 位的 Python @@RECOMMENDED@@（可与现有 Python 并存），
echo  再重新运行本文件。
goto failed

:no_pip
echo.
echo  这个 Python 没有 pip："%PY%"
echo  请用 python.org 的安装程序重新安装 Python（保留默认勾选的“pip”），再重新运行本文件。
goto failed

:pip_failed
echo.
echo  安装程序包失败，原因见上面 pip 的英文提示。常见原因：
echo    · 没有写入权限：右键 安装.bat →“以管理员身份运行”；
echo    · 安装包不完整：重新解压整个 zip。
goto failed

:addin_failed
echo.
echo  jixiao 已装好，但加载项没有装上，原因见上一行的中文提示。
goto failed

:failed
echo.
echo  没有完成安装。
echo.
pause
exit /b 1

:done
echo.
pause
exit /b 0

@@SUBROUTINES@@
