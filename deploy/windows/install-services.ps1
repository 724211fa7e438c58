# Windows equivalent of deploy/systemd + deploy/autostart (run in an elevated PowerShell).
#
#  1. The collector as a Windows service via NSSM (https://nssm.cc, nssm.exe on PATH):
#     starts at boot, restarted 10 s after any exit, logs to C:\ProgramData\commandcenter\logs.
#  2. The wall at logon of the wall PC's account via Task Scheduler, restarted on failure.
#
# Layout: the build unpacked to C:\Program Files\commandcenter (commandcenter.exe inside),
# the city's YAML in C:\ProgramData\commandcenter\config, the SQLite cache next to it.
# Secrets (PGPASSWORD, source tokens) are set as the service's environment with
# `nssm set commandcenter-collect AppEnvironmentExtra PGPASSWORD=...` typed by the admin, never
# stored in this script or in the YAML.
param(
  [string]$Install = "C:\Program Files\commandcenter",
  [string]$Data = "C:\ProgramData\commandcenter",
  [string]$WallUser = "$env:USERDOMAIN\$env:USERNAME",
  [string]$Db = ""   # e.g. postgresql+psycopg://commandcenter@10.0.0.5:5432/commandcenter
)
$ErrorActionPreference = "Stop"
$exe = Join-Path $Install "commandcenter.exe"
$config = Join-Path $Data "config"
if (-not $Db) { $Db = "sqlite:///" + ((Join-Path $Data "cache.sqlite") -replace "\\", "/") }
New-Item -ItemType Directory -Force -Path (Join-Path $Data "logs") | Out-Null

& $exe validate $config
if ($LASTEXITCODE -ne 0) { throw "fix the config first (commandcenter validate $config)" }

# -- 1. collector service (NSSM) ---------------------------------------------------------------
nssm install commandcenter-collect $exe collect
nssm set commandcenter-collect AppDirectory $Data
nssm set commandcenter-collect AppEnvironmentExtra "COMMANDCENTER_CONFIG=$config" "COMMANDCENTER_DB=$Db"
nssm set commandcenter-collect Start SERVICE_AUTO_START
nssm set commandcenter-collect AppExit Default Restart
nssm set commandcenter-collect AppExit 2 Exit            # invalid config: do not loop
nssm set commandcenter-collect AppRestartDelay 10000
nssm set commandcenter-collect AppStopMethodConsole 60000 # Ctrl+C first: runs finish their write
nssm set commandcenter-collect AppStdout (Join-Path $Data "logs\collect.log")
nssm set commandcenter-collect AppStderr (Join-Path $Data "logs\collect.log")
nssm set commandcenter-collect AppRotateFiles 1
nssm set commandcenter-collect AppRotateBytes 10485760
nssm start commandcenter-collect

# -- 2. wall at logon (Task Scheduler) ---------------------------------------------------------
[Environment]::SetEnvironmentVariable("COMMANDCENTER_CONFIG", $config, "Machine")
[Environment]::SetEnvironmentVariable("COMMANDCENTER_DB", $Db, "Machine")
$action = New-ScheduledTaskAction -Execute $exe -Argument "wall" -WorkingDirectory $Data
$trigger = New-ScheduledTaskTrigger -AtLogOn -User $WallUser
$settings = New-ScheduledTaskSettingsSet -RestartCount 999 -RestartInterval (New-TimeSpan -Minutes 1) `
  -ExecutionTimeLimit ([TimeSpan]::Zero) -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries
$principal = New-ScheduledTaskPrincipal -UserId $WallUser -LogonType Interactive
Register-ScheduledTask -TaskName "commandcenter-wall" -Action $action -Trigger $trigger `
  -Settings $settings -Principal $principal -Force | Out-Null
Write-Host "collector service and wall task installed; the wall starts at the next logon of $WallUser"
