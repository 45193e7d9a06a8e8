@echo off
rem Sitebridge start script for Windows (the product ships no native launcher).
rem
rem   sitebridge.cmd                      start the application (two demo servers by default)
rem   sitebridge.cmd --no-demo            start without the embedded demo servers
rem   sitebridge.cmd copy^|ls^|diff^|mirror ... [-v]     headless command line, see "sitebridge.cmd help"
rem   sitebridge.cmd sites list^|add^|remove^|import ...   the saved sites, shared with the application
rem
rem Needs a Java 21 or newer: JAVA_HOME, else java on PATH. Per-user state (the window layout,
rem the command line's queue) lives in %SITEBRIDGE_HOME%, default %USERPROFILE%\.local\share\sitebridge,
rem the same folder the command line itself uses.
setlocal EnableExtensions EnableDelayedExpansion
set "here=%~dp0"

set "bin="
if defined JAVA_HOME if exist "%JAVA_HOME%\bin\java.exe" set "bin=%JAVA_HOME%\bin"
if not defined bin for %%j in (java.exe) do if not "%%~$PATH:j"=="" set "bin=%%~dp$PATH:j"
if not defined bin goto nojava
if "%bin:~-1%"=="\" set "bin=%bin:~0,-1%"
rem "java -version" starts with e.g.: openjdk version "21.0.5" 2024-10-15 (read from a file: a
rem quoted program path inside for /f's command is fragile)
set "jv=" & set "major="
set "vfile=%TEMP%\sitebridge-java-version-%RANDOM%.txt"
"%bin%\java.exe" -version 2>"%vfile%" >nul
for /f "usebackq tokens=3" %%v in ("%vfile%") do if not defined jv set "jv=%%~v"
del "%vfile%" 2>nul
if defined jv for /f "delims=.-+" %%m in ("!jv!") do set "major=%%m"
if not defined major goto nojava
if !major! LSS 21 goto nojava

if not defined SITEBRIDGE_HOME set "SITEBRIDGE_HOME=%USERPROFILE%\.local\share\sitebridge"
if not exist "%SITEBRIDGE_HOME%" mkdir "%SITEBRIDGE_HOME%" 2>nul

set "first=%~1"
for %%c in (copy cp ls list diff mirror sites skip help --help -h) do if /i "!first!"=="%%c" goto cli

set "launcher="
for %%f in ("%here%plugins\org.eclipse.equinox.launcher_*.jar") do set "launcher=%%~f"
if not defined launcher (
  echo sitebridge: %here%plugins has no org.eclipse.equinox.launcher jar; is this a complete Sitebridge installation? 1>&2
  exit /b 3
)
if not defined SITEBRIDGE_WORKSPACE set "SITEBRIDGE_WORKSPACE=%SITEBRIDGE_HOME%\workspace"
rem javaw: the window needs no console; "start" lets a double-clicked script's console close.
start "Sitebridge" "%bin%\javaw.exe" -Xms64m -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=error --enable-native-access=ALL-UNNAMED -Dosgi.requiredJavaVersion=21 -jar "%launcher%" -nosplash -data "%SITEBRIDGE_WORKSPACE%" %*
exit /b 0

:cli
rem Headless: the command line needs neither OSGi nor a display; it runs on a plain class path.
set "cp="
for %%b in (io.sitebridge.app io.sitebridge.transfer io.sitebridge.core org.apache.commons.commons-net org.apache.commons.commons-io) do (
  set "jar="
  for %%f in ("%here%plugins\%%b_*.jar") do set "jar=%%~f"
  if not defined jar (
    echo sitebridge: %here%plugins has no %%b jar 1>&2
    exit /b 3
  )
  if defined cp (set "cp=!cp!;!jar!") else set "cp=!jar!"
)
"%bin%\java.exe" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:C1MaxInlineSize=15 -Xms32m -Xmn16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -Djava.awt.headless=true -cp "!cp!" io.sitebridge.app.cli.Cli %*
exit /b %ERRORLEVEL%

:nojava
echo sitebridge: needs Java 21 or newer, and none was found (looked at JAVA_HOME and PATH). 1>&2
echo Install one (e.g. Temurin 21 from adoptium.net) or point JAVA_HOME at it. 1>&2
exit /b 3
