rem --- find Python: the py launcher's 64-bit versions this bundle has wheels for, newest first;
rem --- then "python" on PATH; then any Python the launcher knows (only to say what is wrong with it).
set "PY="
for %%V in (@@LAUNCHER_VERSIONS@@) do if not defined PY call :from_launcher -%%V-64
if not defined PY call :from_command python
if not defined PY call :from_launcher -3
