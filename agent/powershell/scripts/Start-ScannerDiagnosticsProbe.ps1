# Probe: the scanner's own diagnostics cmdlet (whole transcript) plus the raw facts behind the
# agent's checks. Judging the facts (ok / warn / error, which article section) happens in the agent,
# where it is tested; this script only collects.
. (Join-Path $PSScriptRoot 'ProbeCommon.ps1')

function Get-RegistryValues([string]$Path, [string[]]$Names) {
  $values = [ordered]@{ path = $Path; exists = $false }
  foreach ($n in $Names) { $values[$n] = $null }
  if (Test-Path -LiteralPath $Path) {
    $values.exists = $true
    $item = Get-ItemProperty -LiteralPath $Path -ErrorAction SilentlyContinue
    foreach ($n in $Names) {
      if ($item -and ($item.PSObject.Properties.Name -contains $n)) { $values[$n] = [long]$item.$n }
    }
  }
  return $values
}

# Any HTTP answer (401 and 403 included) proves the endpoint is reachable; only a transport failure does not.
function Test-Url([string]$Url, [int]$TimeoutMs) {
  try {
    $request = [System.Net.HttpWebRequest]::Create($Url)
    $request.Method = 'HEAD'
    $request.Timeout = $TimeoutMs
    $request.AllowAutoRedirect = $false
    $response = $request.GetResponse()
    $code = [int]$response.StatusCode
    $response.Close()
    return [ordered]@{ url = $Url; reachable = $true; httpStatus = $code; error = $null }
  }
  catch [System.Net.WebException] {
    $ex = $_.Exception
    if ($ex.Response) {
      $code = [int]$ex.Response.StatusCode
      $ex.Response.Close()
      return [ordered]@{ url = $Url; reachable = $true; httpStatus = $code; error = $null }
    }
    $message = $ex.Message
    if ($ex.InnerException) { $message = "$message ---> $($ex.InnerException.Message)" }
    return [ordered]@{ url = $Url; reachable = $false; httpStatus = $null; error = $message }
  }
  catch {
    return [ordered]@{ url = $Url; reachable = $false; httpStatus = $null; error = $_.Exception.Message }
  }
}

# Windows login of this agent's account; parameters are bound, never concatenated into the query.
function Test-ScannerDatabase([string]$Instance, [string]$Database, [int]$TimeoutSeconds) {
  $result = [ordered]@{ connected = $false; errorNumber = $null; error = $null; dbId = $null; isDbOwner = $null; state = $null; collation = $null }
  $builder = New-Object System.Data.SqlClient.SqlConnectionStringBuilder
  $builder['Data Source'] = $Instance
  $builder['Initial Catalog'] = 'master'
  $builder['Integrated Security'] = $true
  $builder['Connect Timeout'] = $TimeoutSeconds
  $builder['Application Name'] = 'scanner-bot-agent'
  $connection = New-Object System.Data.SqlClient.SqlConnection $builder.ConnectionString
  try {
    $connection.Open()
    $result.connected = $true
    $command = $connection.CreateCommand()
    $command.CommandTimeout = $TimeoutSeconds
    $command.CommandText = 'SELECT DB_ID(@name) AS dbId, d.state_desc AS state, d.collation_name AS collation FROM (SELECT 1 AS one) AS x LEFT JOIN sys.databases AS d ON d.name = @name'
    [void]$command.Parameters.AddWithValue('@name', $Database)
    $reader = $command.ExecuteReader()
    if ($reader.Read()) {
      if (-not $reader.IsDBNull(0)) { $result.dbId = [int]$reader.GetValue(0) }
      if (-not $reader.IsDBNull(1)) { $result.state = [string]$reader.GetValue(1) }
      if (-not $reader.IsDBNull(2)) { $result.collation = [string]$reader.GetValue(2) }
    }
    $reader.Close()
    if ($null -ne $result.dbId) {
      $connection.ChangeDatabase($Database)
      $command = $connection.CreateCommand()
      $command.CommandText = "SELECT IS_ROLEMEMBER('db_owner') AS isOwner"
      $value = $command.ExecuteScalar()
      if ($value -isnot [DBNull]) { $result.isDbOwner = ([int]$value -eq 1) }
    }
  }
  catch [System.Data.SqlClient.SqlException] {
    $result.errorNumber = $_.Exception.Number
    $result.error = $_.Exception.Message
  }
  catch {
    $result.error = $_.Exception.Message
  }
  finally {
    $connection.Dispose()
  }
  return $result
}

try {
  $probeInput = Read-ProbeInput
  $generation = Get-ScannerModuleGeneration
  $service = Get-ScannerServiceInfo
  $localAppData = Get-ScannerLocalAppData $service
  $data = [ordered]@{
    moduleGeneration = $generation
    service          = $service
    computerName     = [System.Net.Dns]::GetHostName()
    transcript       = ''
    diagnosticsError = $null
    configuration    = $null
    policyFile       = $null
    tls              = @()
    netshDynamicPorts = $null
    timeWaitCount    = $null
    urls             = @()
    profile          = [ordered]@{ account = $service.account; localAppData = $localAppData; exists = [bool]($localAppData -and (Test-Path -LiteralPath $localAppData)) }
    database         = $null
  }

  if ($generation -ne 'none') {
    try {
      $cmd = Get-ScannerCommand $generation 'Diagnostics'
      $count = [int]$probeInput.verboseErrorCount
      try {
        # -ErrorAction Continue: the errors it prints belong in the transcript instead of ending the probe.
        $text = (& $cmd -Verbose -VerboseErrorCount $count -ErrorAction Continue *>&1 | Out-String -Width 400)
      }
      catch [System.Management.Automation.ParameterBindingException] {
        # Clients before 2.11.58 have no -VerboseErrorCount; they print the last 10 errors.
        $text = (& $cmd -Verbose -ErrorAction Continue *>&1 | Out-String -Width 400)
      }
      $data.transcript = $text
    }
    catch {
      $data.diagnosticsError = $_.Exception.Message
    }
    try {
      $cmd = Get-ScannerCommand $generation 'Configuration'
      $c = & $cmd
      $data.configuration = [ordered]@{
        cluster             = [string]$c.Cluster
        sqlInstance         = [string]$c.SqlInstance
        databaseName        = [string]$c.DatabaseName
        onlineConfiguration = [string]$c.OnlineConfiguration
      }
    }
    catch { }
  }
  $maxChars = [int]$probeInput.maxTranscriptChars
  if ($maxChars -gt 0 -and $data.transcript.Length -gt $maxChars) { $data.transcript = $data.transcript.Substring(0, $maxChars) }

  if ($localAppData) {
    $policy = Join-Path $localAppData 'Microsoft\MSIP\mip\MSIP.Scanner.exe\mip\mip.policies.sqlite3'
    $policyItem = Get-Item -LiteralPath $policy -ErrorAction SilentlyContinue
    $data.policyFile = [ordered]@{ path = $policy; exists = [bool]$policyItem; lastWriteTime = $null }
    if ($policyItem) { $data.policyFile.lastWriteTime = $policyItem.LastWriteTimeUtc.ToString('o', $script:Invariant) }
  }

  $net = @('SystemDefaultTlsVersions', 'SchUseStrongCrypto')
  $data.tls = @(
    (Get-RegistryValues 'HKLM:\SOFTWARE\Microsoft\.NETFramework\v4.0.30319' $net),
    (Get-RegistryValues 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\.NETFramework\v4.0.30319' $net),
    (Get-RegistryValues 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Client' @('Enabled', 'DisabledByDefault'))
  )

  $data.netshDynamicPorts = (& netsh.exe int ipv4 show dynamicport tcp | Out-String)
  try { $data.timeWaitCount = @(Get-NetTCPConnection -State TimeWait -ErrorAction SilentlyContinue).Count } catch { }

  $urlTimeout = [int]$probeInput.urlTimeoutMs
  $data.urls = @($probeInput.urls | Where-Object { $_ } | ForEach-Object { Test-Url ([string]$_) $urlTimeout })

  if ($probeInput.database -and $probeInput.database.integrated) {
    $instance = [string]$probeInput.database.sqlInstance
    $dbName = [string]$probeInput.database.databaseName
    if (-not $instance -and $data.configuration) { $instance = $data.configuration.sqlInstance }
    if (-not $dbName -and $data.configuration) { $dbName = $data.configuration.databaseName }
    if ($instance -and $dbName) {
      $data.database = Test-ScannerDatabase $instance $dbName ([int]$probeInput.database.timeoutSeconds)
      $data.database.sqlInstance = $instance
      $data.database.databaseName = $dbName
    }
  }
  Write-ProbeResult $data
}
catch {
  Write-ProbeFailure $_.Exception.Message
}
