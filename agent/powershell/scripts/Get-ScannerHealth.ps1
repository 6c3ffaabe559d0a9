# Probe: which scanner module the node has and the state of the scanner service.
. (Join-Path $PSScriptRoot 'ProbeCommon.ps1')
try {
  $service = Get-ScannerServiceInfo
  Write-ProbeResult ([ordered]@{
      moduleGeneration = Get-ScannerModuleGeneration
      service          = $service
      computerName     = [System.Net.Dns]::GetHostName()
    })
}
catch {
  Write-ProbeFailure $_.Exception.Message
}
