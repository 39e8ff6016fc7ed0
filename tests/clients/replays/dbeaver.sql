--| client: DBeaver (org.jkiss.dbeaver.ext.postgresql) - connect, read databases/schemas/types, navigator: tables, columns, constraints, indexes, views
--| DBeaver uses pgjdbc, so pgjdbc's own catalog SQL (getSQLKeywords, TypeInfoCache) also appears; those are listed once in pgjdbc.sql.
--| defaults assumed: 'Show all databases' off (only the connected db), 'Read all data types' off, server PostgreSQL 16; oids: public=2200, table customers=16385, a view=16390.
--| queries built from Java string concatenation in the cited files; conditional pieces resolved for PG >= 10.
--| header lines start with '--|'; queries are separated by a line '-- next'.
--|
--| source: github.com/pgjdbc/pgjdbc (driver bundled with DBeaver; see pgjdbc.sql for full provenance) PgConnection.setClientInfo("ApplicationName", ...) called by DBeaver's JDBC execution context
--| params: none (value inlined, escaped); DBeaver opens a 'Main' and a 'Metadata' connection
--| client reads: nothing
--| cross-check: sequence matches datafusion-contrib/datafusion-postgres datafusion-postgres/tests/dbeaver.rs (queries captured from DBeaver 25.1.5)
SET application_name = 'DBeaver 24.2.3 - Main <postgres>'
-- next
--| source: github.com/dbeaver/dbeaver  plugins/org.jkiss.dbeaver.ext.postgresql/src/org/jkiss/dbeaver/ext/postgresql/model/PostgreDataSource.java
--| commit: 2428359b748778a5a345432906ab3da69289c20c (2024-10-24, DBeaver 24.2.x)
--| function: PostgreDataSource.initialize() - JDBCUtils.queryString(session, "SELECT version()")
--| params: none
--| client reads: column 1 (server version string; 'PostgreSQL 16.x ...' decides server flavour/feature flags)
--| cross-check: sequence matches datafusion-contrib/datafusion-postgres datafusion-postgres/tests/dbeaver.rs (queries captured from DBeaver 25.1.5)
SELECT version()
-- next
--| source: github.com/dbeaver/dbeaver  plugins/org.jkiss.dbeaver.ext.postgresql/src/org/jkiss/dbeaver/ext/postgresql/PostgreUtils.java
--| commit: 2428359b748778a5a345432906ab3da69289c20c (2024-10-24, DBeaver 24.2.x)
--| function: PostgreDataSource.initialize() -> PostgreUtils.isMetaObjectExists(session, "pg_enum", "*") (only when server >= 12) via getQueryForSystemColumnChecking
--| params: none
--| client reads: nothing - an error means 'pg_enum not supported' (enum loading is then skipped)
--| cross-check: sequence matches datafusion-contrib/datafusion-postgres datafusion-postgres/tests/dbeaver.rs (queries captured from DBeaver 25.1.5)
SELECT * FROM pg_catalog.pg_enum WHERE 1<>1 LIMIT 1
-- next
--| source: github.com/dbeaver/dbeaver  plugins/org.jkiss.dbeaver.ext.postgresql/src/org/jkiss/dbeaver/ext/postgresql/PostgreUtils.java
--| commit: 2428359b748778a5a345432906ab3da69289c20c (2024-10-24, DBeaver 24.2.x)
--| function: PostgreDataSource.initialize() -> isMetaObjectExists(session, "pg_class", "reltype")
--| params: none
--| client reads: nothing - success/failure only
--| cross-check: sequence matches datafusion-contrib/datafusion-postgres datafusion-postgres/tests/dbeaver.rs (queries captured from DBeaver 25.1.5)
SELECT reltype FROM pg_catalog.pg_class WHERE 1<>1 LIMIT 1
-- next
--| source: github.com/pgjdbc/pgjdbc (driver bundled with DBeaver; see pgjdbc.sql for full provenance) PgDatabaseMetaData.getSQLKeywords() - DBeaver's JDBC dialect init reads DatabaseMetaData.getSQLKeywords()
--| params: none
--| client reads: column 1
--| text: identical to the getSQLKeywords entry in pgjdbc.sql
--| cross-check: sequence matches datafusion-contrib/datafusion-postgres datafusion-postgres/tests/dbeaver.rs (queries captured from DBeaver 25.1.5)
select string_agg(word, ',') from pg_catalog.pg_get_keywords() where word <> ALL ('{a,abs,absolute,action,ada,add,admin,after,all,allocate,alter,always,and,any,are,array,as,asc,asensitive,assertion,assignment,asymmetric,at,atomic,attribute,attributes,authorization,avg,before,begin,bernoulli,between,bigint,binary,blob,boolean,both,breadth,by,c,call,called,cardinality,cascade,cascaded,case,cast,catalog,catalog_name,ceil,ceiling,chain,char,char_length,character,character_length,character_set_catalog,character_set_name,character_set_schema,characteristics,characters,check,checked,class_origin,clob,close,coalesce,cobol,code_units,collate,collation,collation_catalog,collation_name,collation_schema,collect,column,column_name,command_function,command_function_code,commit,committed,condition,condition_number,connect,connection_name,constraint,constraint_catalog,constraint_name,constraint_schema,constraints,constructors,contains,continue,convert,corr,corresponding,count,covar_pop,covar_samp,create,cross,cube,cume_dist,current,current_collation,current_date,current_default_transform_group,current_path,current_role,current_time,current_timestamp,current_transform_group_for_type,current_user,cursor,cursor_name,cycle,data,date,datetime_interval_code,datetime_interval_precision,day,deallocate,dec,decimal,declare,default,defaults,deferrable,deferred,defined,definer,degree,delete,dense_rank,depth,deref,derived,desc,describe,descriptor,deterministic,diagnostics,disconnect,dispatch,distinct,domain,double,drop,dynamic,dynamic_function,dynamic_function_code,each,element,else,end,end-exec,equals,escape,every,except,exception,exclude,excluding,exec,execute,exists,exp,external,extract,false,fetch,filter,final,first,float,floor,following,for,foreign,fortran,found,free,from,full,function,fusion,g,general,get,global,go,goto,grant,granted,group,grouping,having,hierarchy,hold,hour,identity,immediate,implementation,in,including,increment,indicator,initially,inner,inout,input,insensitive,insert,instance,instantiable,int,integer,intersect,intersection,interval,into,invoker,is,isolation,join,k,key,key_member,key_type,language,large,last,lateral,leading,left,length,level,like,ln,local,localtime,localtimestamp,locator,lower,m,map,match,matched,max,maxvalue,member,merge,message_length,message_octet_length,message_text,method,min,minute,minvalue,mod,modifies,module,month,more,multiset,mumps,name,names,national,natural,nchar,nclob,nesting,new,next,no,none,normalize,normalized,not,"null",nullable,nullif,nulls,number,numeric,object,octet_length,octets,of,old,on,only,open,option,options,or,order,ordering,ordinality,others,out,outer,output,over,overlaps,overlay,overriding,pad,parameter,parameter_mode,parameter_name,parameter_ordinal_position,parameter_specific_catalog,parameter_specific_name,parameter_specific_schema,partial,partition,pascal,path,percent_rank,percentile_cont,percentile_disc,placing,pli,position,power,preceding,precision,prepare,preserve,primary,prior,privileges,procedure,public,range,rank,read,reads,real,recursive,ref,references,referencing,regr_avgx,regr_avgy,regr_count,regr_intercept,regr_r2,regr_slope,regr_sxx,regr_sxy,regr_syy,relative,release,repeatable,restart,result,return,returned_cardinality,returned_length,returned_octet_length,returned_sqlstate,returns,revoke,right,role,rollback,rollup,routine,routine_catalog,routine_name,routine_schema,row,row_count,row_number,rows,savepoint,scale,schema,schema_name,scope_catalog,scope_name,scope_schema,scroll,search,second,section,security,select,self,sensitive,sequence,serializable,server_name,session,session_user,set,sets,similar,simple,size,smallint,some,source,space,specific,specific_name,specifictype,sql,sqlexception,sqlstate,sqlwarning,sqrt,start,state,statement,static,stddev_pop,stddev_samp,structure,style,subclass_origin,submultiset,substring,sum,symmetric,system,system_user,table,table_name,tablesample,temporary,then,ties,time,timestamp,timezone_hour,timezone_minute,to,top_level_count,trailing,transaction,transaction_active,transactions_committed,transactions_rolled_back,transform,transforms,translate,translation,treat,trigger,trigger_catalog,trigger_name,trigger_schema,trim,true,type,uescape,unbounded,uncommitted,under,union,unique,unknown,unnamed,unnest,update,upper,usage,user,user_defined_type_catalog,user_defined_type_code,user_defined_type_name,user_defined_type_schema,using,value,values,var_pop,var_samp,varchar,varying,view,when,whenever,where,width_bucket,window,with,within,without,work,write,year,zone}'::text[])
-- next
--| source: github.com/dbeaver/dbeaver  plugins/org.jkiss.dbeaver.ext.postgresql/src/org/jkiss/dbeaver/ext/postgresql/model/PostgreDatabase.java
--| commit: 2428359b748778a5a345432906ab3da69289c20c (2024-10-24, DBeaver 24.2.x)
--| function: PostgreDatabase(monitor, dataSource, name) -> readDatabaseInfo() (default: only the connection's database is shown)
--| params: $1='postgres' (database name, varchar)
--| client reads: db.* by name -> PostgreDatabase.loadInfo: oid, datname, datdba, encoding, datcollate, datctype, dattablespace, datallowconn, datconnlimit, datistemplate (plus 'SELECT db.oid,db.*' needs every pg_database column)
--| wire: JDBC PreparedStatement (extended protocol); setLong -> int8 $n, setString -> varchar $n
--| cross-check: sequence matches datafusion-contrib/datafusion-postgres datafusion-postgres/tests/dbeaver.rs (queries captured from DBeaver 25.1.5)
SELECT db.oid,db.* FROM pg_catalog.pg_database db WHERE datname='postgres'
-- next
--| source: github.com/dbeaver/dbeaver  plugins/org.jkiss.dbeaver.ext.postgresql/src/org/jkiss/dbeaver/ext/postgresql/model/PostgreDataSource.java
--| commit: 2428359b748778a5a345432906ab3da69289c20c (2024-10-24, DBeaver 24.2.x)
--| function: PostgreDataSource.initializeRemoteInstance -> settingCache.getObject(..., "standard_conforming_strings") -> SettingCache.prepareLookupStatement
--| params: $1='standard_conforming_strings' (varchar)
--| client reads: name, setting, unit, short_desc (PostgreSetting)
--| wire: JDBC PreparedStatement (extended protocol); setLong -> int8 $n, setString -> varchar $n
--| cross-check: sequence matches datafusion-contrib/datafusion-postgres datafusion-postgres/tests/dbeaver.rs (queries captured from DBeaver 25.1.5)
select * from pg_catalog.pg_settings where name='standard_conforming_strings'
-- next
--| source: github.com/dbeaver/dbeaver  plugins/org.jkiss.dbeaver.ext.postgresql/src/org/jkiss/dbeaver/ext/postgresql/model/PostgreExecutionContext.java
--| commit: 2428359b748778a5a345432906ab3da69289c20c (2024-10-24, DBeaver 24.2.x)
--| function: PostgreExecutionContext.refreshDefaults()
--| params: none
--| client reads: column 1 current schema, column 2 session user (by position)
--| cross-check: sequence matches datafusion-contrib/datafusion-postgres datafusion-postgres/tests/dbeaver.rs (queries captured from DBeaver 25.1.5)
SELECT current_schema(),session_user
-- next
--| source: github.com/dbeaver/dbeaver  plugins/org.jkiss.dbeaver.ext.postgresql/src/org/jkiss/dbeaver/ext/postgresql/model/PostgreDatabase.java
--| commit: 2428359b748778a5a345432906ab3da69289c20c (2024-10-24, DBeaver 24.2.x)
--| function: PostgreDatabase.SchemaCache.prepareLookupStatement (all schemas; no navigator filter)
--| params: none
--| client reads: n.* by name -> PostgreSchema: oid, nspname, nspowner, nspacl, description; utility schemas (pg_toast, pg_temp_*) hidden client-side
--| follow-up: nspacl is aclitem[] (oid 1034) - pgjdbc then issues its TypeInfoCache lookups for 1034 (see pgjdbc.sql: getPGType/getSQLType with $1=1034)
--| cross-check: sequence matches datafusion-contrib/datafusion-postgres datafusion-postgres/tests/dbeaver.rs (queries captured from DBeaver 25.1.5)
SELECT n.oid,n.*,d.description FROM pg_catalog.pg_namespace n
LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=n.oid AND d.objsubid=0 AND d.classoid='pg_namespace'::regclass
 ORDER BY nspname
-- next
--| source: github.com/pgjdbc/pgjdbc (driver bundled with DBeaver; see pgjdbc.sql for full provenance) TypeInfoCache.getPGType(1034) - triggered by the aclitem[] nspacl column above
--| params: $1=1034 (int4)
--| client reads: by position onPath, nspname, typname
--| cross-check: sequence matches datafusion-contrib/datafusion-postgres datafusion-postgres/tests/dbeaver.rs (queries captured from DBeaver 25.1.5)
SELECT n.nspname = ANY(current_schemas(true)), n.nspname, t.typname FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON t.typnamespace = n.oid WHERE t.oid = 1034
-- next
--| source: github.com/dbeaver/dbeaver  plugins/org.jkiss.dbeaver.ext.postgresql/src/org/jkiss/dbeaver/ext/postgresql/model/PostgreExecutionContext.java
--| commit: 2428359b748778a5a345432906ab3da69289c20c (2024-10-24, DBeaver 24.2.x)
--| function: PostgreExecutionContext.refreshDefaults() - JDBCUtils.queryString(session, "SHOW search_path")
--| params: none
--| client reads: column 1, split on ',' and unquoted (e.g. '"$user", public')
--| cross-check: sequence matches datafusion-contrib/datafusion-postgres datafusion-postgres/tests/dbeaver.rs (queries captured from DBeaver 25.1.5)
SHOW search_path
-- next
--| source: github.com/dbeaver/dbeaver  plugins/org.jkiss.dbeaver.ext.postgresql/src/org/jkiss/dbeaver/ext/postgresql/model/PostgreDatabase.java
--| commit: 2428359b748778a5a345432906ab3da69289c20c (2024-10-24, DBeaver 24.2.x)
--| function: PostgreDatabase.cacheDataTypes(monitor, true) <- PostgreDataSource.initialize() (readAllTypes=false, server >= 10 so typcategory is assumed; getBaseTypeNameClause from model/PostgreDataTypeCache.java)
--| params: none
--| client reads: t.* by name -> PostgreDataType.readDataType: oid, typname, typnamespace, typlen, typtype, typcategory, typowner, typbyval, typispreferred, typdelim, typrelid, typelem, typinput, typoutput, typreceive, typsend, typarray, typmodin, typmodout, typanalyze, typalign, typstorage, typnotnull, typbasetype, typtypmod, typndims, typcollation, typdefault, plus relkind, base_type_name, description
--| needs: format_type(oid, int4) with nullif(oid,0) argument; regproc columns (typinput etc.) read as strings
--| cross-check: sequence matches datafusion-contrib/datafusion-postgres datafusion-postgres/tests/dbeaver.rs (queries captured from DBeaver 25.1.5)
SELECT t.oid,t.*,c.relkind,format_type(nullif(t.typbasetype, 0), t.typtypmod) as base_type_name, d.description
FROM pg_catalog.pg_type t
LEFT OUTER JOIN pg_catalog.pg_type et ON et.oid=t.typelem 
LEFT OUTER JOIN pg_catalog.pg_class c ON c.oid=t.typrelid
LEFT OUTER JOIN pg_catalog.pg_description d ON t.oid=d.objoid
WHERE t.typname IS NOT NULL
AND (c.relkind IS NULL OR c.relkind = 'c') AND (et.typcategory IS NULL OR et.typcategory <> 'C')
-- next
--| source: github.com/dbeaver/dbeaver  plugins/org.jkiss.dbeaver.ext.postgresql/src/org/jkiss/dbeaver/ext/postgresql/model/PostgreDatabase.java
--| commit: 2428359b748778a5a345432906ab3da69289c20c (2024-10-24, DBeaver 24.2.x)
--| function: PostgreDatabase.EnumValueCache.prepareObjectsStatement (when the pg_enum probe succeeded)
--| params: none
--| client reads: oid, enumtypid, enumsortorder, enumlabel
SELECT * FROM pg_catalog.pg_enum
-- next
--| source: github.com/dbeaver/dbeaver  plugins/org.jkiss.dbeaver.ext.postgresql/src/org/jkiss/dbeaver/ext/postgresql/model/PostgreSchema.java
--| commit: 2428359b748778a5a345432906ab3da69289c20c (2024-10-24, DBeaver 24.2.x)
--| function: PostgreSchema.TableCache.prepareLookupStatement (expanding a schema in the navigator; server >= 10 adds partition columns)
--| params: $1=2200 (public schema oid, int8); a single-object lookup appends ' AND relname=?'
--| client reads: c.* by name -> PostgreTableBase/PostgreTableReal/PostgreTable: oid, relname, relkind, relispartition, relowner, relacl, reloptions, relpersistence, reltuples, relhasoids, relhassubclass, relrowsecurity, reltablespace, relnamespace, description, partition_expr, partition_key
--| needs: pg_get_expr(pg_node_tree, oid) (relpartbound NULL for plain tables), pg_get_partkeydef(oid) (NULL for non-partitioned)
--| wire: JDBC PreparedStatement (extended protocol); setLong -> int8 $n, setString -> varchar $n
--| cross-check: sequence matches datafusion-contrib/datafusion-postgres datafusion-postgres/tests/dbeaver.rs (queries captured from DBeaver 25.1.5)
SELECT c.oid,c.*,d.description,pg_catalog.pg_get_expr(c.relpartbound, c.oid) as partition_expr,  pg_catalog.pg_get_partkeydef(c.oid) as partition_key 
FROM pg_catalog.pg_class c
LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=c.oid AND d.objsubid=0 AND d.classoid='pg_class'::regclass
WHERE c.relnamespace=2200 AND c.relkind not in ('i','I','c')
-- next
--| source: github.com/dbeaver/dbeaver  plugins/org.jkiss.dbeaver.ext.postgresql/src/org/jkiss/dbeaver/ext/postgresql/model/PostgreSchema.java
--| commit: 2428359b748778a5a345432906ab3da69289c20c (2024-10-24, DBeaver 24.2.x)
--| function: PostgreSchema.collectObjectStatistics (navigator shows table sizes)
--| params: $1=2200 (int8)
--| client reads: column 1 oid (getLong), total_rel_size, rel_size
--| needs: pg_total_relation_size(oid), pg_relation_size(oid) (unqualified FROM pg_class)
--| wire: JDBC PreparedStatement (extended protocol); setLong -> int8 $n, setString -> varchar $n
--| cross-check: sequence matches datafusion-contrib/datafusion-postgres datafusion-postgres/tests/dbeaver.rs (queries captured from DBeaver 25.1.5)
select c.oid,pg_catalog.pg_total_relation_size(c.oid) as total_rel_size,pg_catalog.pg_relation_size(c.oid) as rel_size
FROM pg_class c
WHERE c.relnamespace=2200
-- next
--| source: github.com/dbeaver/dbeaver  plugins/org.jkiss.dbeaver.ext.postgresql/src/org/jkiss/dbeaver/ext/postgresql/model/PostgreSchema.java
--| commit: 2428359b748778a5a345432906ab3da69289c20c (2024-10-24, DBeaver 24.2.x)
--| function: PostgreSchema.cacheTableInheritance
--| params: $1=2200 (int8)
--| client reads: relid, parent_ns, parent_oid, inhseqno
--| wire: JDBC PreparedStatement (extended protocol); setLong -> int8 $n, setString -> varchar $n
SELECT i.inhrelid relid, pc.relnamespace parent_ns, pc.oid parent_oid, i.inhseqno
FROM pg_catalog.pg_inherits i, pg_class rc, pg_class pc
WHERE rc.oid=i.inhrelid AND rc.relnamespace=2200 AND pc.oid=i.inhparent
-- next
--| source: github.com/dbeaver/dbeaver  plugins/org.jkiss.dbeaver.ext.postgresql/src/org/jkiss/dbeaver/ext/postgresql/model/PostgreSchema.java
--| commit: 2428359b748778a5a345432906ab3da69289c20c (2024-10-24, DBeaver 24.2.x)
--| function: PostgreSchema.TableCache.prepareChildrenStatement (columns of one table: opening the table / expanding 'Columns'; forTable != null; supportsSequences = true)
--| params: $1=16385 (table oid, int8); without forTable the tail is ' AND c.relnamespace=?' with the schema oid
--| client reads: relname, a.* by name -> PostgreAttribute: attname, attnum, atttypid, atttypmod, attnotnull, attndims, attcollation, attidentity, attgenerated, attislocal, attinhcount, attacl, attfdwoptions, def_value, description, objid (owned sequence)
--| needs: pg_get_expr(pg_node_tree, oid, bool), pg_depend (unqualified) with deptype/refobjsubid/classid/refclassid
--| wire: JDBC PreparedStatement (extended protocol); setLong -> int8 $n, setString -> varchar $n
SELECT c.relname,a.*,pg_catalog.pg_get_expr(ad.adbin, ad.adrelid, true) as def_value,dsc.description,dep.objid
FROM pg_catalog.pg_attribute a
INNER JOIN pg_catalog.pg_class c ON (a.attrelid=c.oid)
LEFT OUTER JOIN pg_catalog.pg_attrdef ad ON (a.attrelid=ad.adrelid AND a.attnum = ad.adnum)
LEFT OUTER JOIN pg_catalog.pg_description dsc ON (c.oid=dsc.objoid AND a.attnum = dsc.objsubid)
LEFT OUTER JOIN pg_depend dep on dep.refobjid = a.attrelid AND dep.deptype = 'i' and dep.refobjsubid = a.attnum and dep.classid = dep.refclassid
WHERE NOT a.attisdropped AND c.relkind not in ('i','I','c') AND c.oid=16385
ORDER BY a.attnum
-- next
--| source: github.com/dbeaver/dbeaver  plugins/org.jkiss.dbeaver.ext.postgresql/src/org/jkiss/dbeaver/ext/postgresql/model/PostgreSchema.java
--| commit: 2428359b748778a5a345432906ab3da69289c20c (2024-10-24, DBeaver 24.2.x)
--| function: PostgreSchema.ConstraintCache.prepareObjectsStatement (forParent = table; schema-wide variant uses 't.relnamespace=?')
--| params: $1=16385 (int8)
--| client reads: c.* by name: oid, conname, contype, condeferrable, condeferred, conindid, conislocal, conkey (int2[]), confkey, confrelid, confupdtype, confdeltype, confmatchtype, consrc(null), consrc_copy, tabrelname, refnamespace, description
--| needs: quoted function name "substring"(text, int), pg_get_constraintdef(oid), 'pg_constraint'::regclass
--| wire: JDBC PreparedStatement (extended protocol); setLong -> int8 $n, setString -> varchar $n
--| cross-check: sequence matches datafusion-contrib/datafusion-postgres datafusion-postgres/tests/dbeaver.rs (queries captured from DBeaver 25.1.5)
SELECT c.oid,c.*,t.relname as tabrelname,rt.relnamespace as refnamespace,d.description, case when c.contype='c' then "substring"(pg_get_constraintdef(c.oid), 7) else null end consrc_copy
FROM pg_catalog.pg_constraint c
INNER JOIN pg_catalog.pg_class t ON t.oid=c.conrelid
LEFT OUTER JOIN pg_catalog.pg_class rt ON rt.oid=c.confrelid
LEFT OUTER JOIN pg_catalog.pg_description d ON d.objoid=c.oid AND d.objsubid=0 AND d.classoid='pg_constraint'::regclass
WHERE c.conrelid=16385
ORDER BY c.oid
-- next
--| source: github.com/dbeaver/dbeaver  plugins/org.jkiss.dbeaver.ext.postgresql/src/org/jkiss/dbeaver/ext/postgresql/model/PostgreSchema.java
--| commit: 2428359b748778a5a345432906ab3da69289c20c (2024-10-24, DBeaver 24.2.x)
--| function: PostgreSchema.IndexCache.prepareObjectsStatement (forTable != null; schema-wide variant ' c.relnamespace=?')
--| params: $1=16385 (int8)
--| client reads: i.* by name: indexrelid, indisunique, indisprimary, indisexclusion, indimmediate, indisclustered, indisvalid, indcheckxmin, indisready, keys (int2vector, parsed as text), indclass, indoption, relname, relnamespace, relam, reltablespace, tabrelname, description, pred_expr, expr, index_rel_size, index_num_scans
--| needs: pg_stat_get_numscans(oid), pg_relation_size(oid), int2vector/oidvector columns
--| wire: JDBC PreparedStatement (extended protocol); setLong -> int8 $n, setString -> varchar $n
--| cross-check: sequence matches datafusion-contrib/datafusion-postgres datafusion-postgres/tests/dbeaver.rs (queries captured from DBeaver 25.1.5)
SELECT i.*,i.indkey as keys,c.relname,c.relnamespace,c.relam,c.reltablespace,tc.relname as tabrelname,dsc.description,pg_catalog.pg_get_expr(i.indpred, i.indrelid) as pred_expr,pg_catalog.pg_get_expr(i.indexprs, i.indrelid, true) as expr,pg_catalog.pg_relation_size(i.indexrelid) as index_rel_size,pg_catalog.pg_stat_get_numscans(i.indexrelid) as index_num_scans
FROM pg_catalog.pg_index i
INNER JOIN pg_catalog.pg_class c ON c.oid=i.indexrelid
INNER JOIN pg_catalog.pg_class tc ON tc.oid=i.indrelid
LEFT OUTER JOIN pg_catalog.pg_description dsc ON i.indexrelid=dsc.objoid
WHERE  i.indrelid=16385 ORDER BY c.relname
-- next
--| source: github.com/dbeaver/dbeaver  plugins/org.jkiss.dbeaver.ext.postgresql/src/org/jkiss/dbeaver/ext/postgresql/model/PostgreTable.java
--| commit: 2428359b748778a5a345432906ab3da69289c20c (2024-10-24, DBeaver 24.2.x)
--| function: PostgreTable.getReferences (References tab / ER diagram)
--| params: $1=16385 (int8)
--| client reads: connamespace (getLong)
--| wire: JDBC PreparedStatement (extended protocol); setLong -> int8 $n, setString -> varchar $n
SELECT DISTINCT connamespace FROM pg_catalog.pg_constraint WHERE confrelid=16385
-- next
--| source: github.com/dbeaver/dbeaver  plugins/org.jkiss.dbeaver.ext.postgresql/src/org/jkiss/dbeaver/ext/postgresql/model/PostgreViewBase.java
--| commit: 2428359b748778a5a345432906ab3da69289c20c (2024-10-24, DBeaver 24.2.x)
--| function: PostgreViewBase.fetchViewQueryResultIfItNull (view DDL; oid inlined, not bound)
--| params: none (view oid 16390 inlined)
--| client reads: column 1 view definition text
SELECT pg_get_viewdef(16390, true)
-- next
--| source: github.com/dbeaver/dbeaver  plugins/org.jkiss.dbeaver.ext.postgresql/src/org/jkiss/dbeaver/ext/postgresql/model/PostgreDatabase.java
--| commit: 2428359b748778a5a345432906ab3da69289c20c (2024-10-24, DBeaver 24.2.x)
--| function: PostgreDatabase.RoleCache.prepareObjectsStatement (resolving table/schema owners for the properties panel; supportsCommentsOnRole = true)
--| params: none
--| client reads: a.* by name (rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication, rolbypassrls, rolconnlimit, rolvaliduntil, ...), description
SELECT a.oid,a.*,pd.description FROM pg_catalog.pg_roles a 
left join pg_catalog.pg_shdescription pd on a.oid = pd.objoid
ORDER BY a.rolname
