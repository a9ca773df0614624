:from_launcher
for /f "usebackq delims=" %%P in (`py %1 -c "import sys; print(sys.executable)" 2^>nul`) do set "PY=%%P"
if defined PY if not exist "%PY%" set "PY="
exit /b 0

:from_command
for /f "usebackq delims=" %%P in (`%1 -c "import sys; print(sys.executable)" 2^>nul`) do set "PY=%%P"
if defined PY if not exist "%PY%" set "PY="
exit /b 0
