# Probe: Get-AIPScannerStatus / Get-ScanStatus, projected explicitly (ConvertTo-Json in 5.1 would
# flatten NodesInfo[].Summary at its default depth and write enums as numbers), plus the newest
# detailed report, whose growth tells a slow scan from a stuck one.
. (Join-Path $PSScriptRoot 'ProbeCommon.ps1')
try {
  $probeInput = Read-ProbeInput
  $generation = Get-ScannerModuleGeneration
  $service = Get-ScannerServiceInfo
  $data = [ordered]@{
    moduleGeneration = $generation
    service          = $service
    computerName     = [System.Net.Dns]::GetHostName()
    status           = $null
    statusError      = $null
    repositories     = @()
    detailedReport   = $null
  }
  if ($generation -ne 'none') {
    $cmd = Get-ScannerCommand $generation 'Status'
    try {
      $s = & $cmd
      $data.status = [ordered]@{
        cluster       = [string]$s.Cluster
        clusterStatus = [string]$s.ClusterStatus
        startTime     = ConvertTo-IsoTime $s.StartTime
        timeFromStart = [string]$s.TimeFromStart
        nodes         = @($s.NodesInfo | Where-Object { $null -ne $_ } | ForEach-Object {
            [ordered]@{
              nodeName   = [string]$_.NodeName
              status     = [string]$_.Status
              isScanning = [string]$_.IsScanning
              summary    = ConvertTo-TextMap $_.Summary
            }
          })
      }
      $verbose = & $cmd -Verbose 4>$null
      $data.repositories = @($verbose.RepositoriesStatus | Where-Object { $null -ne $_ } | ForEach-Object {
          [ordered]@{ path = [string]$_.Path; status = [string]$_.Status }
        })
    }
    catch {
      $data.statusError = $_.Exception.Message
    }
  }
  $reports = $probeInput.reportPath
  if (-not $reports) { $reports = Join-Path (Get-ScannerLocalAppData $service) 'Microsoft\MSIP\Scanner\Reports' }
  if (Test-Path -LiteralPath $reports) {
    $newest = Get-ChildItem -LiteralPath $reports -Filter 'DetailedReport_*.csv' -File -ErrorAction SilentlyContinue |
      Sort-Object LastWriteTimeUtc -Descending | Select-Object -First 1
    if ($newest) {
      $data.detailedReport = [ordered]@{
        path          = $newest.FullName
        sizeBytes     = [long]$newest.Length
        lastWriteTime = $newest.LastWriteTimeUtc.ToString('o', $script:Invariant)
      }
    }
  }
  Write-ProbeResult $data
}
catch {
  Write-ProbeFailure $_.Exception.Message
}
